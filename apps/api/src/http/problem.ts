/**
 * Errors as RFC 9457 problem details. Every refusal the API makes is an ApiProblem, so clients
 * get one shape whatever went wrong, with one entry per invalid field.
 */
export interface FieldProblem {
  /** Where the value was: path parameter, query string, header or body. */
  readonly in: 'path' | 'query' | 'header' | 'body';
  /** Dotted path to the field; '' for the whole part. */
  readonly field: string;
  readonly message: string;
}

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly errors?: readonly FieldProblem[];
  readonly currentVersion?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const PROBLEM_TITLES = {
  'invalid-request': [400, 'The request is invalid'],
  unauthenticated: [401, 'A valid bearer token is required'],
  forbidden: [403, 'Your role does not allow this'],
  'csrf-refused': [403, "A signed-in change needs the session's CSRF token and this site's origin"],
  'not-found': [404, 'Not found'],
  'version-conflict': [409, 'The resource changed since you read it'],
  'state-conflict': [409, 'The resource is not in a state that allows this'],
  'already-exists': [409, 'It already exists'],
  'precondition-failed': [412, 'The resource changed since you read it (If-Match)'],
  allowlisted: [409, 'The number is on the allowlist'],
  'probable-spoofing': [409, 'The number is a protected originator: never act against it'],
  'flag-not-actioned': [409, 'The flag has no action in force to appeal against'],
  'appeal-pending': [409, 'The flag already has a pending appeal'],
  'payload-too-large': [413, 'The request body is too large'],
  'unsupported-media-type': [415, 'The request body must be JSON'],
  'precondition-required': [428, 'The version you read is required'],
  'rate-limited': [429, 'Too many requests'],
  internal: [500, 'Internal error'],
  unavailable: [503, 'A dependency is unavailable'],
} as const;

export type ProblemKind = keyof typeof PROBLEM_TITLES;

export function problemType(kind: ProblemKind): string {
  return `urn:abuse-monitor:problem:${kind}`;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extra: { errors?: readonly FieldProblem[]; currentVersion?: number } = {},
  ) {
    super(detail);
    [this.status, this.title] = PROBLEM_TITLES[kind];
  }

  toProblem(instance: string, requestId: string | undefined): ProblemDetails {
    return {
      type: problemType(this.kind),
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance,
      ...(requestId ? { requestId } : {}),
      ...this.extra,
    };
  }
}

export function invalidRequest(errors: readonly FieldProblem[]): ApiProblem {
  const detail = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  return new ApiProblem('invalid-request', detail, { errors });
}

export const notFound = (what: string) => new ApiProblem('not-found', `${what} does not exist`);
