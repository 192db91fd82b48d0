import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ROLES, RULES_ACTOR, SCHEDULER_ACTOR } from '@abuse-monitor/domain';
import { AuditLog, TokenNameTaken, TokenStore } from '@abuse-monitor/persistence';
import { uuidParam } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';
import { ApiProblem, notFound } from '../http/problem';
import { auditActor } from '../http/request-context';

/** Actors of automated changes: a person's token must not be mistaken for them. */
export const RESERVED_ACTORS: readonly string[] = [RULES_ACTOR, SCHEDULER_ACTOR, 'migration', 'anonymous'];

export const tokenName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}._@-]+$/u, 'letters, digits and . _ @ - only; it names the person in the audit log')
  .refine((name) => !RESERVED_ACTORS.includes(name), {
    message: `${RESERVED_ACTORS.join(', ')} name the system's own changes in flag histories`,
  });

const tokenView = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
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
  permission: 'tokens:manage',
  body: z.object({ name: tokenName, role: z.enum(ROLES) }).strict(),
  response: tokenView.extend({ secret: z.string() }),
  status: 201,
  problems: [409],
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
  private readonly tokens = new TokenStore();
  private readonly audit = new AuditLog();

  constructor(private readonly dataSource: DataSource) {}

  @Endpoint(listTokens)
  async list() {
    return { items: await this.tokens.list(this.dataSource.manager) };
  }

  @Endpoint(createToken)
  async create(@Input() input: EndpointInput<typeof createToken>, @Req() req: Request) {
    const actor = auditActor(req);
    return this.dataSource.transaction(async (manager) => {
      try {
        const { token, secret } = await this.tokens.create({ ...input.body, createdBy: actor.name }, manager);
        await this.audit.append(
          actor,
          { action: 'token.create', targetType: 'token', targetId: token.id, before: null, after: token },
          manager,
        );
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
    return this.dataSource.transaction(async (manager) => {
      const before = await this.tokens.find(input.params.id, manager);
      if (!before) throw notFound(`token ${input.params.id}`);
      const after = await this.tokens.revoke(input.params.id, actor.name, manager);
      if (!after) throw new ApiProblem('state-conflict', 'the token is already revoked');
      await this.audit.append(
        actor,
        { action: 'token.revoke', targetType: 'token', targetId: after.id, before, after },
        manager,
      );
      return after;
    });
  }
}
