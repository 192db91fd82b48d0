import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { checkTokenName, parseTokenLifetime, ROLES } from '@abuse-monitor/domain';
import { AccessRepository, TokenNameTaken, TokensRepository, Transactions } from '@abuse-monitor/persistence';
import { uuidParam } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';
import { ApiProblem, notFound } from '../http/problem';
import { auditActor, contextOf } from '../http/request-context';

export const tokenName = z
  .string()
  .max(64)
  .superRefine((name, ctx) => {
    const check = checkTokenName(name);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
  })
  .describe('a-z, 0-9 and . _ - (1 to 64); never reused, not even after the token is revoked');

const tokenLifetime = z
  .string()
  .max(8)
  .transform((text, ctx) => {
    const lifetime = parseTokenLifetime(text);
    if (lifetime.ok) return lifetime.ms;
    ctx.addIssue({ code: 'custom', message: lifetime.reason });
    return z.NEVER;
  })
  .describe('how long the token stays valid: 90m, 12h, 30d (at most 400d); without it, until revoked');

const tokenView = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable().describe('null: valid until revoked'),
});

export const listTokens = defineEndpoint({
  operationId: 'listTokens',
  method: 'get',
  path: '/api/v1/tokens',
  tag: 'tokens',
  summary: 'Every token, live or revoked (never the secret)',
  permission: 'tokens:manage',
  response: z.object({ items: z.array(tokenView) }),
});

export const createToken = defineEndpoint({
  operationId: 'createToken',
  method: 'post',
  path: '/api/v1/tokens',
  tag: 'tokens',
  summary: 'Issue a token; the secret is in this answer only, the API keeps its hash',
  description:
    'Only with the bearer token itself: a console session (cookie) is refused, so that whoever rides a ' +
    'browser session cannot leave with a credential that outlives the session.',
  permission: 'tokens:manage',
  body: z.object({ name: tokenName, role: z.enum(ROLES), expiresIn: tokenLifetime.optional() }).strict(),
  response: tokenView.extend({ secret: z.string() }),
  status: 201,
  problems: [403, 409],
});

export const revokeToken = defineEndpoint({
  operationId: 'revokeToken',
  method: 'post',
  path: '/api/v1/tokens/{id}/revoke',
  tag: 'tokens',
  summary: 'Revoke a token; it is refused from the next request on',
  permission: 'tokens:manage',
  params: z.object({ id: uuidParam }).strict(),
  response: tokenView,
  problems: [404, 409],
});

@Controller()
export class TokensController {
  constructor(
    private readonly transactions: Transactions,
    private readonly tokens: TokensRepository,
    private readonly access: AccessRepository,
  ) {}

  @Endpoint(listTokens)
  async list() {
    return { items: await this.tokens.list(this.transactions.outside) };
  }

  @Endpoint(createToken)
  async create(@Input() input: EndpointInput<typeof createToken>, @Req() req: Request) {
    // A session ends (sign-out, 12 h, its token revoked); a token issued through it would not.
    if (contextOf(req).session)
      throw new ApiProblem(
        'forbidden',
        'tokens are issued with the bearer token itself, not from a console session',
      );
    const actor = auditActor(req);
    return this.transactions.run(async (manager) => {
      try {
        const { name, role, expiresIn } = input.body;
        const expiresAt = expiresIn === undefined ? null : new Date(Date.now() + expiresIn);
        const { token, secret } = await this.access.issue(manager, { name, role, expiresAt }, actor);
        return { ...token, secret };
      } catch (error) {
        if (error instanceof TokenNameTaken) throw new ApiProblem('already-exists', error.message);
        throw error;
      }
    });
  }

  @Endpoint(revokeToken)
  async revoke(@Input() input: EndpointInput<typeof revokeToken>, @Req() req: Request) {
    const actor = auditActor(req);
    return this.transactions.run(async (manager) => {
      const before = await this.tokens.find(input.params.id, manager);
      if (!before) throw notFound(`token ${input.params.id}`);
      const after = await this.access.revoke(manager, before, actor);
      if (!after) throw new ApiProblem('state-conflict', 'the token is already revoked');
      return after;
    });
  }
}
