import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { ALLOWLIST_ENTRY_KINDS, normalizeNumber } from '@abuse-monitor/domain';
import { AuditLog } from '@abuse-monitor/persistence';
import { numericId, typedText } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { ApiProblem, invalidRequest, notFound } from '../http/problem';
import { auditActor } from '../http/request-context';

const entryView = z.object({
  id: z.number().int(),
  version: z.number().int(),
  kind: z.enum(ALLOWLIST_ENTRY_KINDS),
  pattern: z.string().describe('E.164 number, or the start of numbers for a prefix'),
  reason: z.string(),
  owner: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

interface EntryRow {
  id: string;
  version: number;
  kind: z.input<typeof entryView>['kind'];
  pattern: string;
  reason: string;
  owner: string;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
}

const entryOf = (r: EntryRow): z.input<typeof entryView> => ({
  id: Number(r.id),
  version: r.version,
  kind: r.kind,
  pattern: r.pattern,
  reason: r.reason,
  owner: r.owner,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
});

const reason = typedText(500);
const owner = typedText(100).describe('who asked for the entry and answers for it');
const entryParams = z.object({ id: numericId }).strict();

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

export const listAllowlist = defineEndpoint({
  operationId: 'listAllowlist',
  method: 'get',
  path: '/api/v1/allowlist',
  tag: 'allowlist',
  summary: 'Numbers and prefixes that are never flagged (their reports are still counted)',
  permission: 'allowlist:read',
  response: z.object({ items: z.array(entryView) }),
});

export const createAllowlistEntry = defineEndpoint({
  operationId: 'createAllowlistEntry',
  method: 'post',
  path: '/api/v1/allowlist',
  tag: 'allowlist',
  summary: 'Allowlist a number or a prefix; applies from the next batch of reports',
  permission: 'allowlist:write',
  body: z
    .object({ kind: z.enum(ALLOWLIST_ENTRY_KINDS), pattern: z.string().min(1).max(64), reason, owner })
    .strict(),
  response: entryView,
  status: 201,
  problems: [409],
});

export const updateAllowlistEntry = defineEndpoint({
  operationId: 'updateAllowlistEntry',
  method: 'patch',
  path: '/api/v1/allowlist/{id}',
  tag: 'allowlist',
  summary: 'Change the reason or owner of an entry',
  permission: 'allowlist:write',
  params: entryParams,
  body: z
    .object({
      reason: reason.optional(),
      owner: owner.optional(),
      version: z.number().int().positive().optional(),
    })
    .strict(),
  response: entryView,
  versioned: true,
  problems: [404, 409],
});

export const deleteAllowlistEntry = defineEndpoint({
  operationId: 'deleteAllowlistEntry',
  method: 'delete',
  path: '/api/v1/allowlist/{id}',
  tag: 'allowlist',
  summary: 'Remove an entry; the numbers it covered can be flagged from the next batch',
  permission: 'allowlist:write',
  params: entryParams,
  response: entryView,
  versioned: true,
  problems: [404, 409],
});

@Controller()
export class AllowlistController {
  private readonly audit = new AuditLog();

  constructor(private readonly dataSource: DataSource) {}

  @Endpoint(listAllowlist)
  async list() {
    const rows: EntryRow[] = await this.dataSource.query(`SELECT * FROM allowlist ORDER BY pattern, kind`);
    return { items: rows.map(entryOf) };
  }

  @Endpoint(createAllowlistEntry)
  async create(@Input() input: EndpointInput<typeof createAllowlistEntry>, @Req() req: Request) {
    const { kind, reason: why, owner: who } = input.body;
    const pattern = patternOf(kind, input.body.pattern);
    const actor = auditActor(req);
    return this.dataSource.transaction(async (manager) => {
      const rows: EntryRow[] = await manager.query(
        `INSERT INTO allowlist (kind, pattern, reason, owner, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (kind, pattern) DO NOTHING RETURNING *`,
        [kind, pattern, why, who, actor.name],
      );
      if (rows.length === 0)
        throw new ApiProblem('already-exists', `${kind} ${pattern} is already allowlisted`);
      const created = entryOf(rows[0]);
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

  @Endpoint(updateAllowlistEntry)
  async update(@Input() input: EndpointInput<typeof updateAllowlistEntry>, @Req() req: Request) {
    const actor = auditActor(req);
    return this.dataSource.transaction(async (manager) => {
      const before = await this.locked(input.params.id, requiredVersion(input), manager);
      // TypeORM answers an UPDATE with [rows, affected count], not the rows alone.
      const [rows]: [EntryRow[], number] = await manager.query(
        `UPDATE allowlist SET reason = $2, owner = $3, version = version + 1, updated_at = now(), updated_by = $4
          WHERE id = $1 RETURNING *`,
        [input.params.id, input.body.reason ?? before.reason, input.body.owner ?? before.owner, actor.name],
      );
      const after = entryOf(rows[0]);
      await this.audit.append(
        actor,
        { action: 'allowlist.update', targetType: 'allowlist', targetId: input.params.id, before, after },
        manager,
      );
      return after;
    });
  }

  @Endpoint(deleteAllowlistEntry)
  async delete(@Input() input: EndpointInput<typeof deleteAllowlistEntry>, @Req() req: Request) {
    const actor = auditActor(req);
    return this.dataSource.transaction(async (manager) => {
      const before = await this.locked(input.params.id, requiredVersion(input), manager);
      await manager.query(`DELETE FROM allowlist WHERE id = $1`, [input.params.id]);
      await this.audit.append(
        actor,
        {
          action: 'allowlist.delete',
          targetType: 'allowlist',
          targetId: input.params.id,
          before,
          after: null,
        },
        manager,
      );
      return before;
    });
  }

  private async locked(id: string, expectedVersion: number, manager: EntityManager) {
    const rows: EntryRow[] = await manager.query(`SELECT * FROM allowlist WHERE id = $1 FOR UPDATE`, [id]);
    if (rows.length === 0) throw notFound(`allowlist entry ${id}`);
    if (rows[0].version !== expectedVersion)
      throw new ApiProblem(
        'version-conflict',
        `the entry is at version ${rows[0].version}, you sent ${expectedVersion}`,
        { currentVersion: rows[0].version },
      );
    return entryOf(rows[0]);
  }
}
