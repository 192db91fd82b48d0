import { Injectable } from '@nestjs/common';
import type { ProtectedOriginatorKind } from '@abuse-monitor/domain';
import {
  AuditActor,
  AuditLogRepository,
  ProtectedOriginatorsRepository,
  Transactions,
} from '@abuse-monitor/persistence';
import { encodeCursor } from '../http/common-schemas';
import { ApiProblem, notFound } from '../http/problem';
import { protectedOriginatorOf, ProtectedOriginatorView } from './protected-originator-views';

/**
 * Changes to the protected originators (decision 0057): each one transaction, with its audit
 * entry, like the allowlist's. They apply from the aggregator's next batch: flags already open
 * keep their kind until a rule next changes them, and a decision is refused from now on.
 */
@Injectable()
export class ProtectedOriginatorsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly entries: ProtectedOriginatorsRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  /** A page of entries by number, and the cursor of the next one (null after the last). */
  async page(
    after: string | null,
    limit: number,
  ): Promise<{ items: ProtectedOriginatorView[]; nextCursor: string | null }> {
    const rows = await this.entries.page(after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(protectedOriginatorOf),
      nextCursor: rows.length > limit ? encodeCursor({ number: last.number }) : null,
    };
  }

  /** `number` is already E.164 (the endpoint's schema normalises what people write). */
  create(
    body: { number: string; name: string; kind: ProtectedOriginatorKind; reason: string },
    actor: AuditActor,
  ): Promise<ProtectedOriginatorView> {
    return this.transactions.run(async (manager) => {
      const row = await this.entries.insert(manager, { ...body, by: actor.name });
      if (row === null)
        throw new ApiProblem('already-exists', `${body.number} is already a protected originator`);
      const created = protectedOriginatorOf(row);
      await this.audit.append(
        actor,
        {
          action: 'protected_originator.create',
          targetType: 'protected_originator',
          targetId: String(created.id),
          before: null,
          after: created,
        },
        manager,
      );
      return created;
    });
  }

  remove(id: string, version: number, actor: AuditActor): Promise<ProtectedOriginatorView> {
    return this.transactions.run(async (manager) => {
      const row = await this.entries.lock(manager, id);
      if (row === null) throw notFound(`protected originator ${id}`);
      if (row.version !== version)
        throw new ApiProblem(
          'version-conflict',
          `the entry is at version ${row.version}, you sent ${version}`,
          {
            currentVersion: row.version,
          },
        );
      const before = protectedOriginatorOf(row);
      await this.entries.remove(manager, id);
      await this.audit.append(
        actor,
        {
          action: 'protected_originator.delete',
          targetType: 'protected_originator',
          targetId: id,
          before,
          after: null,
        },
        manager,
      );
      return before;
    });
  }
}
