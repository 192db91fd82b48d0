import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { withCorrelationId } from '@abuse-monitor/observability';
import type { ApiToken, AuditActor } from '@abuse-monitor/persistence';

/** A console session: its id, when it ends, and the cookie's secret (for its CSRF token). */
export interface SignedInSession {
  id: string;
  expiresAt: string;
  secret: string;
}

/** What the API learns about a request before the handler runs. */
export interface RequestContext {
  requestId: string;
  /** The documented path of the endpoint that answered ('/api/v1/flags/{id}'), for metrics. */
  route: string | null;
  principal: ApiToken | null;
  /** Set when the principal came from a session cookie rather than a bearer token (decision 0046). */
  session: SignedInSession | null;
  /** Validated and typed path parameters, query and body (see ValidationInterceptor). */
  input: { params: unknown; query: unknown; body: unknown; version: number | null } | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    context?: RequestContext;
  }
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Keeps a caller's X-Request-Id when it is harmless to log, otherwise makes one. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.header('x-request-id');
  const requestId = given && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  req.context = { requestId, route: null, principal: null, session: null, input: null };
  res.setHeader('X-Request-Id', requestId);
  // Every log line written while handling the request carries its id.
  withCorrelationId(requestId, next);
}

export function contextOf(req: Request): RequestContext {
  if (!req.context) throw new Error('request context missing: requestIdMiddleware must run first');
  return req.context;
}

/** The audit log's view of who is asking. */
export function auditActor(req: Request): AuditActor {
  const { principal, requestId, session } = contextOf(req);
  return {
    tokenId: principal?.id ?? null,
    name: principal?.name ?? 'anonymous',
    role: principal?.role ?? null,
    requestId,
    method: req.method,
    path: req.originalUrl.slice(0, 500),
    clientIp: req.ip ?? null,
    sessionId: session?.id ?? null,
  };
}
