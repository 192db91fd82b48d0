import { z } from 'zod';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission } from '@abuse-monitor/domain';
import { EndpointSpec } from '../http/endpoint';
import { PROBLEM_CONTENT_TYPE } from '../http/problem';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', examples: ['urn:abuse-monitor:problem:invalid-request'] },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    currentVersion: { type: 'integer', description: 'on a version conflict: the version now stored' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['in', 'field', 'message'],
        properties: {
          in: { enum: ['path', 'query', 'header', 'body'] },
          field: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
};

const VERSION_ONLY_BODY: JsonSchema = {
  type: 'object',
  properties: {
    version: { type: 'integer', minimum: 1, description: 'the version you read, if not in If-Match' },
  },
  additionalProperties: false,
};

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid path parameter, query, header or body; one entry per field in `errors`',
  401: 'No token, or an unknown, revoked or expired one',
  403: 'The role of the token does not have the permission',
  404: 'No such resource',
  409: 'A version conflict (someone changed it since you read it), a state that does not allow this, an allowlisted number, or an action against a protected originator (probable spoofing)',
  412: 'The If-Match you sent is stale: someone changed it since you read it',
  413: 'The body is too large',
  415: 'The body is not JSON',
  428: 'The version you read is required (If-Match or a `version` field)',
  429: 'Too many requests for this token; see Retry-After',
  503: 'The database or the broker is unavailable; retry later',
};

function rolesWith(permission: Permission): string[] {
  return ROLES.filter((role) => ROLE_PERMISSIONS[role].includes(permission));
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema || !(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const fieldSchema = jsonSchema(field, 'input');
    return {
      name,
      in: where,
      required: where === 'path' || !field.safeParse(undefined).success,
      description: (fieldSchema.description as string | undefined) ?? undefined,
      schema: fieldSchema,
    };
  });
}

function operation(spec: EndpointSpec): JsonSchema {
  const statuses = new Set<number>([400, ...(spec.problems ?? [])]);
  if (spec.permission !== null) [401, 403, 429].forEach((s) => statuses.add(s));
  if (spec.body) [413, 415].forEach((s) => statuses.add(s));
  if (spec.versioned) [409, 412, 428].forEach((s) => statuses.add(s));
  const access =
    spec.permission === null
      ? 'No token needed.'
      : `Needs \`${spec.permission}\`: roles ${rolesWith(spec.permission).join(', ')}.`;
  const successContent: JsonSchema = { 'application/json': { schema: jsonSchema(spec.response, 'output') } };
  for (const mediaType of spec.alternativeMediaTypes ?? [])
    successContent[mediaType] = { schema: { type: 'string' } };
  const headers = spec.versioned
    ? [
        {
          name: 'If-Match',
          in: 'header',
          required: false,
          description:
            'The version you read: the ETag you were given, or "N"; or send it as the body field `version`. ' +
            'A stale If-Match answers 412, a stale `version` 409.',
          schema: { type: 'string' },
        },
      ]
    : [];
  return {
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: [spec.description, access].filter(Boolean).join('\n\n'),
    ...(spec.permission === null ? { security: [] } : {}),
    parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query'), ...headers],
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
          },
        }
      : spec.versioned
        ? {
            // Versioned operations without a body (deletions) take the version there too.
            requestBody: {
              required: false,
              content: { 'application/json': { schema: VERSION_ONLY_BODY } },
            },
          }
        : {}),
    responses: {
      [String(spec.status ?? 200)]: { description: 'Success', content: successContent },
      ...Object.fromEntries(
        [...statuses].sort().map((status) => [
          String(status),
          {
            description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
            content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        ]),
      ),
    },
  };
}

/** The OpenAPI 3.1 document, built from the same endpoint descriptions that route and validate. */
export function openApiDocument(endpoints: readonly EndpointSpec[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of endpoints) (paths[spec.path] ??= {})[spec.method] = operation(spec);
  return {
    openapi: '3.1.0',
    info: {
      title: 'abuse-monitor API',
      version,
      description:
        'For abuse analysts, supervisors and 156 hotline agents. Every call but /health/*, /metrics and ' +
        `/docs needs a bearer token. Roles and their permissions: ${ROLES.map(
          (r) => `${r}: ${ROLE_PERMISSIONS[r].join(', ')}`,
        ).join('; ')}. All permissions: ${PERMISSIONS.join(', ')}.`,
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Problem: problemSchema },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
