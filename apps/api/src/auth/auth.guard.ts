import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { hasPermission } from '@abuse-monitor/domain';
import { TokenStore } from '@abuse-monitor/persistence';
import { ENDPOINT_METADATA, EndpointSpec } from '../http/endpoint';
import { ApiProblem } from '../http/problem';
import { contextOf } from '../http/request-context';

// The scheme is case-insensitive (RFC 9110); the token is not.
const BEARER = /^Bearer ([A-Za-z0-9_-]{1,100})$/i;

/**
 * Who is asking, and may they: a live bearer token (401 otherwise), whose role holds the
 * endpoint's permission (403 otherwise). Revocation takes effect on the next request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly tokens = new TokenStore();

  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_METADATA, context.getHandler());
    if (!spec) throw new Error(`${context.getHandler().name} has no @Endpoint: refusing to serve it`);
    const req = context.switchToHttp().getRequest<Request>();
    contextOf(req).route = spec.path;
    if (spec.permission === null) return true;
    const match = BEARER.exec(req.header('authorization') ?? '');
    if (!match) throw new ApiProblem('unauthenticated', 'send "Authorization: Bearer <token>"');
    const principal = await this.tokens.authenticate(match[1], this.dataSource.manager);
    if (!principal) throw new ApiProblem('unauthenticated', 'the token is unknown or revoked');
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
