import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Role } from '@abuse-monitor/domain';
import { AuditActor, AuditLogRepository } from '../access/audit-log.repository';
import { ApiToken, TokensRepository } from '../access/tokens.repository';

/**
 * Who may use the API: issuing and revoking tokens, each with its audit entry in the same
 * transaction, for the API's token endpoints and the admin tool alike.
 */
@Injectable()
export class AccessRepository {
  constructor(
    private readonly tokens: TokensRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  /** Throws TokenNameTaken when the name was ever used. The secret is in this answer only. */
  async issue(
    manager: EntityManager,
    input: { name: string; role: Role; expiresAt: Date | null },
    actor: AuditActor,
  ): Promise<{ token: ApiToken; secret: string }> {
    const created = await this.tokens.create({ ...input, createdBy: actor.name }, manager);
    await this.audit.append(
      actor,
      {
        action: 'token.create',
        targetType: 'token',
        targetId: created.token.id,
        before: null,
        after: created.token,
      },
      manager,
    );
    return created;
  }

  /** Revokes the token when it is live and audits it; null when it was already revoked. */
  async revoke(manager: EntityManager, before: ApiToken, actor: AuditActor): Promise<ApiToken | null> {
    const after = await this.tokens.revoke(before.id, actor.name, manager);
    if (after)
      await this.audit.append(
        actor,
        { action: 'token.revoke', targetType: 'token', targetId: after.id, before, after },
        manager,
      );
    return after;
  }
}
