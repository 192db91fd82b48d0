import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { hasPermission } from '@abuse-monitor/domain';
import {
  hashSessionSecret,
  hashToken,
  SessionsRepository,
  TokensRepository,
  Transactions,
} from '@abuse-monitor/persistence';
import { ENDPOINT_METADATA, EndpointSpec } from '../http/endpoint';
import { ApiProblem } from '../http/problem';
import { contextOf } from '../http/request-context';
import { API_CONFIG } from '../api.tokens';
import type { ApiConfig } from '../api.config';
import { FailedAttempts, LiveTokenHashes } from './failed-attempts';
import { checkCookieRequest, clearSessionCookie, readCookie, sessionCookieName } from './session-cookie';

// The scheme is case-insensitive (RFC 9110); the token is not.
const BEARER = /^Bearer ([A-Za-z0-9_-]{1,100})$/i;

/** How stale the live-token and live-session sets of an address past its refused attempts may be. */
const LIVE_TOKENS_REFRESH_MS = 5_000;
/** Sessions are per console user and capped per token: more than this many live is not normal. */
const LIVE_SESSIONS_READ_LIMIT = 100_000;

function specOf(reflector: Reflector, context: ExecutionContext): EndpointSpec {
  const spec = reflector.get<EndpointSpec | undefined>(ENDPOINT_METADATA, context.getHandler());
  if (!spec) throw new Error(`${context.getHandler().name} has no @Endpoint: refusing to serve it`);
  return spec;
}

/**
 * Who is asking: a live bearer token, or else a live session cookie issued for one (decision 0046;
 * 401 otherwise). A cookie-signed change must also carry the session's CSRF token (403). Revocation and expiry take effect on the
 * next request. Whether the role may call the endpoint is PermissionGuard's question, asked after
 * the rate limit, so refused calls count towards the caller's limit too.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly failures: FailedAttempts;
  private readonly liveTokens: LiveTokenHashes;
  private readonly liveSessions: LiveTokenHashes;
  private readonly cookie: { name: string; secure: boolean };
  private readonly idleMs: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly transactions: Transactions,
    private readonly tokens: TokensRepository,
    private readonly sessions: SessionsRepository,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.cookie = {
      name: sessionCookieName(config.API_SESSION_COOKIE_SECURE),
      secure: config.API_SESSION_COOKIE_SECURE,
    };
    this.idleMs = config.API_SESSION_IDLE_TIMEOUT;
    this.failures = new FailedAttempts(config.API_FAILED_AUTH_PER_MINUTE);
    this.liveSessions = new LiveTokenHashes(
      () => this.sessions.liveHashes(LIVE_SESSIONS_READ_LIMIT, this.transactions.outside),
      LIVE_TOKENS_REFRESH_MS,
    );
    this.liveTokens = new LiveTokenHashes(
      () => this.tokens.liveHashes(this.transactions.outside),
      LIVE_TOKENS_REFRESH_MS,
    );
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = specOf(this.reflector, context);
    const req = context.switchToHttp().getRequest<Request>();
    contextOf(req).route = spec.path;
    if (spec.permission === null) return true;
    const client = req.ip ?? 'unknown';
    const authorization = req.header('authorization');
    const match = BEARER.exec(authorization ?? '');
    // A bearer token wins: scripts and the API's own tests keep working whatever cookies they
    // carry. Any other Authorization header (a proxy's Basic, say) leaves the cookie to decide.
    const cookie = match ? null : readCookie(req, this.cookie.name);
    if (cookie !== null) return this.signInBySession(req, context, client, cookie);
    // An address that keeps failing is refused without a lookup of its own, except for live
    // tokens: colleagues behind the same address as an attacker or a misconfigured script keep
    // working, and the attacker's guesses are answered from memory.
    if (this.failures.exhausted(client) && !(match && (await this.isLive(hashToken(match[1])))))
      throw new ApiProblem(
        'rate-limited',
        'too many requests without a valid token from this address; wait a minute',
      );
    const principal = match ? await this.tokens.authenticate(match[1], this.transactions.outside) : null;
    if (!principal) {
      this.failures.record(client);
      throw new ApiProblem(
        'unauthenticated',
        match ? 'the token is unknown or revoked' : 'send "Authorization: Bearer <token>"',
      );
    }
    contextOf(req).principal = principal;
    return true;
  }

  private async signInBySession(
    req: Request,
    context: ExecutionContext,
    client: string,
    secret: string,
  ): Promise<boolean> {
    // As for tokens: live sessions behind an address that keeps failing still get through, answered
    // from memory first; a guessed cookie costs no lookup.
    if (this.failures.exhausted(client) && !(await this.isLiveSession(hashSessionSecret(secret))))
      throw new ApiProblem(
        'rate-limited',
        'too many requests without a valid token from this address; wait a minute',
      );
    const found = await this.sessions.authenticate(secret, this.idleMs, this.transactions.outside);
    if (!found) {
      this.failures.record(client);
      // The browser forgets a cookie that no longer signs anyone in.
      clearSessionCookie(context.switchToHttp().getResponse<Response>(), this.cookie);
      throw new ApiProblem('unauthenticated', 'the session has ended or expired: sign in again');
    }
    checkCookieRequest(req, secret);
    const ctx = contextOf(req);
    ctx.principal = found.token;
    ctx.session = { id: found.session.id, expiresAt: found.session.expiresAt, secret };
    return true;
  }

  private isLive(hash: string): Promise<boolean> {
    return this.liveTokens.has(hash).catch(() => false);
  }

  private isLiveSession(hash: string): Promise<boolean> {
    return this.liveSessions.has(hash).catch(() => false);
  }
}

/** May the authenticated caller's role call the endpoint (403 otherwise)? Runs after the rate limit. */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const spec = specOf(this.reflector, context);
    if (spec.permission === null) return true;
    const principal = principalOf(context.switchToHttp().getRequest<Request>());
    if (!hasPermission(principal.role, spec.permission))
      throw new ApiProblem('forbidden', `the ${principal.role} role does not have ${spec.permission}`);
    return true;
  }
}

/** The authenticated caller of an endpoint that requires a token. */
export function principalOf(req: Request) {
  const principal = contextOf(req).principal;
  if (!principal) throw new Error('no principal: the endpoint does not require a token');
  return principal;
}
