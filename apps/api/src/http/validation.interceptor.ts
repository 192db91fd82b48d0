import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, map, Observable } from 'rxjs';
import { z } from 'zod';
import { ENDPOINT_METADATA, EndpointSpec } from './endpoint';
import { ApiProblem, FieldProblem, invalidRequest } from './problem';
import { contextOf } from './request-context';
import { fieldProblems } from './zod-problems';

const EMPTY = z.object({}).strict();
/** What a versioned endpoint without a body schema (DELETE) accepts as a body. */
const VERSION_ONLY = z.object({ version: z.number().int().positive().optional() }).strict();
/** The flag's ETag is "version-digest" (see flagEtag); the version is what a change is checked against. */
const IF_MATCH = /^(?:W\/)?"?(\d{1,9})(?:-[0-9a-f]{1,64})?"?$/;

/**
 * Text PostgreSQL cannot store (NUL) or that is not Unicode (a lone surrogate), in any string of a
 * validated value, cursors included: refused here rather than failing in the database as a 500.
 */
function unstorableText(value: unknown, where: FieldProblem['in']): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: [unknown, string][] = [[value, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      if (item.includes('\u0000') || !item.isWellFormed())
        problems.push({ in: where, field: path, message: 'contains a NUL character or invalid Unicode' });
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) pending.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return problems;
}

function parsePart(schema: z.ZodType, value: unknown, where: FieldProblem['in'], problems: FieldProblem[]) {
  const result = schema.safeParse(value);
  if (result.success) {
    const unstorable = unstorableText(result.data, where);
    problems.push(...unstorable);
    return unstorable.length === 0 ? result.data : undefined;
  }
  problems.push(...fieldProblems(result.error, where));
  return undefined;
}

/** The version the client read, from If-Match or the body; both must agree when both are given. */
function versionOf(req: Request, body: unknown): { version: number; fromIfMatch: boolean } {
  const header = req.header('if-match');
  const fromBody =
    typeof body === 'object' && body !== null ? (body as { version?: unknown }).version : undefined;
  let fromHeader: number | undefined;
  if (header !== undefined) {
    const match = IF_MATCH.exec(header.trim());
    if (!match)
      throw invalidRequest([{ in: 'header', field: 'If-Match', message: 'expected the version as "N"' }]);
    fromHeader = Number(match[1]);
  }
  if (fromHeader !== undefined && typeof fromBody === 'number' && fromHeader !== fromBody)
    throw invalidRequest([
      {
        in: 'header',
        field: 'If-Match',
        message: `says ${fromHeader} but the body's version says ${fromBody}`,
      },
    ]);
  const version = fromHeader ?? (typeof fromBody === 'number' ? fromBody : undefined);
  if (version === undefined)
    throw new ApiProblem(
      'precondition-required',
      'send the version you read, as an If-Match header or a "version" field, so a change made since is not overwritten',
    );
  return { version, fromIfMatch: fromHeader !== undefined };
}

/** A stale version sent as If-Match is a failed HTTP precondition (RFC 9110: 412), not a conflict. */
function asPreconditionFailed(error: unknown): unknown {
  if (!(error instanceof ApiProblem) || error.kind !== 'version-conflict') return error;
  return new ApiProblem('precondition-failed', error.detail, error.extra);
}

/**
 * Checks the path parameters, query and body against the endpoint's schemas before the handler
 * runs (unknown fields are refused), and the handler's answer against the response schema after.
 * A response that does not match its documented schema is our bug: it is logged and becomes a 500
 * rather than reaching a client in an undocumented shape.
 */
@Injectable()
export class ValidationInterceptor implements NestInterceptor {
  private readonly logger = new Logger('ResponseValidation');

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_METADATA, context.getHandler());
    if (!spec) return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    // No body at all reads as {}: a claim with only If-Match needs none, and a body that lacks
    // required fields is refused field by field rather than for its media type.
    const sentBody =
      req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (spec.body && sentBody && !req.is('application/json'))
      throw new ApiProblem('unsupported-media-type', 'send the body as application/json');
    if (spec.body && !sentBody) req.body = {};
    const problems: FieldProblem[] = [];
    const params = parsePart(spec.params ?? EMPTY, req.params ?? {}, 'path', problems);
    const query = parsePart(spec.query ?? EMPTY, req.query ?? {}, 'query', problems);
    const body = spec.body ? parsePart(spec.body, req.body, 'body', problems) : undefined;
    // Without a body schema a body is still checked: unknown fields are refused there too.
    if (!spec.body && req.body !== undefined)
      parsePart(spec.versioned ? VERSION_ONLY : EMPTY, req.body, 'body', problems);
    if (problems.length > 0) throw invalidRequest(problems);
    const precondition = spec.versioned ? versionOf(req, req.body) : null;
    contextOf(req).input = { params, query, body, version: precondition?.version ?? null };
    return next.handle().pipe(
      catchError((error: unknown) => {
        throw precondition?.fromIfMatch ? asPreconditionFailed(error) : error;
      }),
      map((value: unknown) => {
        if (value instanceof RawResponse) return value.body;
        const checked = spec.response.safeParse(value);
        if (checked.success) return checked.data;
        this.logger.error(
          `${spec.operationId} answered outside its schema: ${JSON.stringify(fieldProblems(checked.error, 'body'))}`,
        );
        throw new ApiProblem('internal', 'the answer did not match its documented schema');
      }),
    );
  }
}

/** A response in another media type (CSV), already negotiated and serialised by the handler. */
export class RawResponse {
  constructor(readonly body: string) {}
}
