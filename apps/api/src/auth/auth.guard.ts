import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { hasPermission } from '@abuse-monitor/domain';
import { hashToken, TokenStore } from '@abuse-monitor/persistence';
import { ENDPOINT_METADATA, EndpointSpec } from '../http/endpoint';
import { ApiProblem } from '../http/problem';
import { contextOf } from '../http/request-context';
import { API_CONFIG } from '../api.tokens';
import type { ApiConfig } from '../api.config';
import { FailedAttempts, RecentSet } from './failed-attempts';

// The scheme is case-insensitive (RFC 9110); the token is not.
const BEARER = /^Bearer ([A-Za-z0-9_-]{1,100})$/i;

/**
 * Who is asking, and may they: a live bearer token (401 otherwise), whose role holds the
 * endpoint's permission (403 otherwise). Revocation takes effect on the next request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly tokens = new TokenStore();
  private readonly failures: FailedAttempts;
  /** Hashes of tokens that authenticated lately (revocation is still checked on every request). */
  private readonly recentlyValid = new RecentSet(10_000);

  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.failures = new FailedAttempts(config.API_FAILED_AUTH_PER_MINUTE);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_METADATA, context.getHandler());
    if (!spec) throw new Error(`${context.getHandler().name} has no @Endpoint: refusing to serve it`);
    const req = context.switchToHttp().getRequest<Request>();
    contextOf(req).route = spec.path;
    if (spec.permission === null) return true;
    const client = req.ip ?? 'unknown';
    const match = BEARER.exec(req.header('authorization') ?? '');
    // An address that keeps failing is refused before any lookup, except for tokens that were valid
    // lately: colleagues behind the same address as a misconfigured script keep working.
    const tokenHash = match ? hashToken(match[1]) : null;
    if (this.failures.exhausted(client) && !(tokenHash && this.recentlyValid.has(tokenHash)))
      throw new ApiProblem(
        'rate-limited',
        'too many requests without a valid token from this address; wait a minute',
      );
    const principal = match ? await this.tokens.authenticate(match[1], this.dataSource.manager) : null;
    if (principal && tokenHash) this.recentlyValid.add(tokenHash);
    if (!principal) {
      this.failures.record(client);
      throw new ApiProblem(
        'unauthenticated',
        match ? 'the token is unknown or revoked' : 'send "Authorization: Bearer <token>"',
      );
    }
    contextOf(req).principal = principal;
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
