import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { normalizeNumber } from '@abuse-monitor/domain';
import {
  AllowlistCursor,
  AllowlistRepository,
  AuditActor,
  AuditLogRepository,
  Transactions,
} from '@abuse-monitor/persistence';
import { encodeCursor } from '../http/common-schemas';
import { ApiProblem, invalidRequest, notFound } from '../http/problem';
import { entryOf, EntryView } from './allowlist-views';

/** A prefix must name a range, never the whole country: at least two digits after +84. */
const PREFIX = /^\+84\d{2,11}$/;

function patternOf(kind: 'number' | 'prefix', written: string): string {
  if (kind === 'number') {
    const normalized = normalizeNumber(written);
    if (normalized.ok) return normalized.e164;
    throw invalidRequest([
      { in: 'body', field: 'pattern', message: `not a Vietnamese phone number (${normalized.reason})` },
    ]);
  }
  const compact = written.replace(/[\s.-]/g, '');
  const prefix = compact.startsWith('0') ? `+84${compact.slice(1)}` : compact;
  if (PREFIX.test(prefix)) return prefix;
  throw invalidRequest([
    {
      in: 'body',
      field: 'pattern',
      message: 'a prefix is +84 (or 0) followed by 2 to 11 digits, e.g. +841800 or 01800',
    },
  ]);
}

/**
 * Changes to the allowlist: each one transaction, with its audit entry; an update or removal is
 * refused when the entry changed since the person read it.
 */
@Injectable()
export class AllowlistService {
  constructor(
    private readonly transactions: Transactions,
    private readonly entries: AllowlistRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  /** A page of entries by pattern, and the cursor of the next one (null after the last). */
  async page(
    after: AllowlistCursor | null,
    limit: number,
  ): Promise<{ items: EntryView[]; nextCursor: string | null }> {
    const rows = await this.entries.page(after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(entryOf),
      nextCursor: rows.length > limit ? encodeCursor({ pattern: last.pattern, kind: last.kind }) : null,
    };
  }

  async create(
    body: {
      kind: 'number' | 'prefix';
      pattern: string;
      reason: string;
      owner: string;
      expiresAt?: string | null;
    },
    actor: AuditActor,
  ): Promise<EntryView> {
    const pattern = patternOf(body.kind, body.pattern);
    return this.transactions.run(async (manager) => {
      const row = await this.entries.insert(manager, {
        kind: body.kind,
        pattern,
        reason: body.reason,
        owner: body.owner,
        expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
        by: actor.name,
      });
      if (row === null)
        throw new ApiProblem('already-exists', `${body.kind} ${pattern} is already allowlisted`);
      const created = entryOf(row);
      await this.audit.append(
        actor,
        {
          action: 'allowlist.create',
          targetType: 'allowlist',
          targetId: String(created.id),
          before: null,
          after: created,
        },
        manager,
      );
      return created;
    });
  }

  update(
    id: string,
    version: number,
    change: { reason?: string; owner?: string; expiresAt?: string | null },
    actor: AuditActor,
  ): Promise<EntryView> {
    return this.transactions.run(async (manager) => {
      const before = await this.locked(manager, id, version);
      const after = entryOf(
        await this.entries.update(manager, id, {
          reason: change.reason ?? before.reason,
          owner: change.owner ?? before.owner,
          expiresAt: dateOrNull(change.expiresAt === undefined ? before.expiresAt : change.expiresAt),
          by: actor.name,
        }),
      );
      await this.audit.append(
        actor,
        { action: 'allowlist.update', targetType: 'allowlist', targetId: id, before, after },
        manager,
      );
      return after;
    });
  }

  remove(id: string, version: number, actor: AuditActor): Promise<EntryView> {
    return this.transactions.run(async (manager) => {
      const before = await this.locked(manager, id, version);
      await this.entries.remove(manager, id);
      await this.audit.append(
        actor,
        { action: 'allowlist.delete', targetType: 'allowlist', targetId: id, before, after: null },
        manager,
      );
      return before;
    });
  }

  private async locked(manager: EntityManager, id: string, expectedVersion: number): Promise<EntryView> {
    const row = await this.entries.lock(manager, id);
    if (row === null) throw notFound(`allowlist entry ${id}`);
    if (row.version !== expectedVersion)
      throw new ApiProblem(
        'version-conflict',
        `the entry is at version ${row.version}, you sent ${expectedVersion}`,
        {
          currentVersion: row.version,
        },
      );
    return entryOf(row);
  }
}

const dateOrNull = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));
