/**
 * The console's only way to the server: the same REST API as every other client, with the
 * analyst's bearer token. Refusals come back as RFC 9457 problems and are thrown as ApiError.
 */

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { in?: string; field?: string; message?: string }[];
  currentVersion?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(describeProblem(status, problem));
    this.name = 'ApiError';
  }

  /** The token was refused: the session's onRefused has already sent the analyst to sign in. */
  get tokenRefused(): boolean {
    return this.status === 401;
  }

  get isVersionConflict(): boolean {
    return this.status === 409 && this.problem?.type === 'urn:abuse-monitor:problem:version-conflict';
  }
}

/** One line an analyst can act on: the problem's title and detail, and each field's complaint. */
export function describeProblem(status: number, problem: Problem | null): string {
  if (!problem) return `The server answered ${status} without an explanation.`;
  const head = [problem.title, problem.detail].filter(Boolean).join(': ') || `The server answered ${status}.`;
  const fields = (problem.errors ?? [])
    .map((e) => [e.field, e.message].filter(Boolean).join(' '))
    .filter((text) => text.length > 0);
  return fields.length > 0 ? `${head} (${fields.join('; ')})` : head;
}

export class Api {
  /** onRefused: the token stopped working (revoked while the analyst was signed in). */
  constructor(
    private readonly token: string,
    private readonly onRefused: () => void = () => undefined,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  /** Changes carry the version the analyst saw, so that two people never overwrite each other. */
  post<T>(path: string, body: unknown, version?: number): Promise<T> {
    return this.send<T>('POST', path, body, version);
  }

  private async send<T>(method: string, path: string, body?: unknown, version?: number): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (version !== undefined) headers['if-match'] = `"${version}"`;
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, {
        title: 'No answer from the server',
        detail: 'check the connection and try again',
      });
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (response.status === 401) this.onRefused();
    if (!response.ok) throw new ApiError(response.status, (parsed as Problem | null) ?? null);
    return parsed as T;
  }
}
