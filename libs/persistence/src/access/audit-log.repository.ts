import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { storableJson } from '../storable-text';

export const AUDIT_TARGET_TYPES = [
  'flag',
  'rule',
  'allowlist',
  'protected_originator',
  'token',
  'reporter',
  'submission',
  'campaign',
  'appeal',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** Who asked, and through which request; the CLI has no request. */
export interface AuditActor {
  tokenId: string | null;
  name: string;
  role: string | null;
  requestId: string | null;
  method: string | null;
  path: string | null;
  clientIp: string | null;
  /** The console session that acted, when the request was signed in by its cookie. */
  sessionId?: string | null;
}

export interface AuditRecord {
  action: string;
  targetType: AuditTargetType;
  targetId: string;
  before: unknown;
  after: unknown;
}

export interface AuditEntry extends AuditRecord {
  id: string;
  occurredAt: string;
  actor: string;
  actorRole: string | null;
  actorTokenId: string | null;
  requestId: string | null;
  method: string | null;
  path: string | null;
  clientIp: string | null;
  /** Set when a console session made the change; null when the token itself (a script) did. */
  sessionId: string | null;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  targetType?: AuditTargetType;
  targetId?: string;
  since?: string;
  until?: string;
  /** Entries with a smaller id than this (newest first). */
  beforeId?: string;
  limit: number;
}

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_token_id: string | null;
  actor: string;
  actor_role: string | null;
  action: string;
  target_type: AuditTargetType;
  target_id: string;
  request_id: string | null;
  method: string | null;
  path: string | null;
  client_ip: string | null;
  actor_session_id: string | null;
  before: unknown;
  after: unknown;
}

const json = (value: unknown) =>
  value === undefined || value === null ? null : JSON.stringify(storableJson(value));

/**
 * The audit log: written in the transaction of the change it records, so a change without its
 * entry cannot exist. The table refuses updates and deletes (see the migration).
 */
@Injectable()
export class AuditLogRepository {
  async append(actor: AuditActor, record: AuditRecord, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_token_id, actor, actor_role, action, target_type, target_id, request_id, method,
                              path, client_ip, before, after, actor_session_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13)`,
      [
        actor.tokenId,
        actor.name,
        actor.role,
        record.action,
        record.targetType,
        record.targetId,
        actor.requestId,
        actor.method,
        actor.path,
        actor.clientIp,
        json(record.before),
        json(record.after),
        actor.sessionId ?? null,
      ],
    );
  }

  /** Who made the latest of these changes to the target, with the role they had then; null if none. */
  async latestActorOf(
    target: { type: AuditTargetType; id: string; actions: readonly string[] },
    manager: EntityManager,
  ): Promise<{ actor: string; role: string | null } | null> {
    const rows: { actor: string; actor_role: string | null }[] = await manager.query(
      `SELECT actor, actor_role FROM audit_log
        WHERE target_type = $1 AND target_id = $2 AND action = ANY($3::text[])
        ORDER BY id DESC LIMIT 1`,
      [target.type, target.id, target.actions],
    );
    return rows.length ? { actor: rows[0].actor, role: rows[0].actor_role } : null;
  }

  /** Newest first. */
  async search(query: AuditQuery, manager: EntityManager): Promise<AuditEntry[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (query.actor !== undefined) where('actor = ?', query.actor);
    if (query.action !== undefined) where('action = ?', query.action);
    if (query.targetType !== undefined) where('target_type = ?', query.targetType);
    if (query.targetId !== undefined) where('target_id = ?', query.targetId);
    if (query.since !== undefined) where('occurred_at >= ?::timestamptz', query.since);
    if (query.until !== undefined) where('occurred_at < ?::timestamptz', query.until);
    if (query.beforeId !== undefined) where('id < ?::bigint', query.beforeId);
    params.push(query.limit);
    const rows: AuditRow[] = await manager.query(
      `SELECT * FROM audit_log ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      id: String(r.id),
      occurredAt: r.occurred_at.toISOString(),
      actor: r.actor,
      actorRole: r.actor_role,
      actorTokenId: r.actor_token_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      requestId: r.request_id,
      method: r.method,
      path: r.path,
      clientIp: r.client_ip,
      sessionId: r.actor_session_id,
      before: r.before,
      after: r.after,
    }));
  }
}
