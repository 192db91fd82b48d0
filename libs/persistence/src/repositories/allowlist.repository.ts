import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AllowlistEntry } from '@abuse-monitor/domain';

export interface AllowlistRow {
  id: string;
  version: number;
  kind: AllowlistEntry['kind'];
  pattern: string;
  reason: string;
  owner: string;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
  /** null: until removed. */
  expires_at: Date | null;
}

/** Where the previous page of the allowlist ended, in its order (pattern, then kind). */
export interface AllowlistCursor {
  pattern: string;
  kind: AllowlistEntry['kind'];
}

export interface NewAllowlistEntry {
  kind: AllowlistEntry['kind'];
  pattern: string;
  reason: string;
  owner: string;
  /** When the entry stops applying; null: until removed. */
  expiresAt: Date | null;
  /** Who creates it (a token name). */
  by: string;
}

/** The entries in force, as the domain matches numbers against them; ended ones no longer apply. */
export function allowlistEntries(manager: EntityManager): Promise<AllowlistEntry[]> {
  return manager.query(
    `SELECT kind, pattern, reason, owner FROM allowlist WHERE expires_at IS NULL OR expires_at > now()`,
  );
}

/** Numbers and prefixes that are never flagged. */
@Injectable()
export class AllowlistRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every entry, in the caller's transaction (read where a decision depends on it) or on its own. */
  entries(manager: EntityManager = this.dataSource.manager): Promise<AllowlistEntry[]> {
    return allowlistEntries(manager);
  }

  /**
   * Up to `limit` entries after `after` (from the first when null), by pattern then kind: a range
   * of the index made for it, however long the list grows.
   */
  page(after: AllowlistCursor | null, limit: number): Promise<AllowlistRow[]> {
    // Every pattern starts with +84, so ('', '') comes before the first entry.
    return this.dataSource.query(
      `SELECT * FROM allowlist WHERE (pattern, kind) > ($1, $2) ORDER BY pattern, kind LIMIT $3`,
      [after?.pattern ?? '', after?.kind ?? '', limit],
    );
  }

  /**
   * The entry as created, or null when that kind and pattern is already allowlisted. An entry of
   * the same kind and pattern that has ended is renewed in its place (a new version), so the
   * number has one entry whose history the audit log tells.
   */
  async insert(manager: EntityManager, entry: NewAllowlistEntry): Promise<AllowlistRow | null> {
    const rows: AllowlistRow[] = await manager.query(
      `INSERT INTO allowlist (kind, pattern, reason, owner, created_by, updated_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6)
       ON CONFLICT (kind, pattern) DO UPDATE
          SET reason = EXCLUDED.reason, owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at,
              version = allowlist.version + 1, updated_at = now(), updated_by = EXCLUDED.updated_by
        WHERE allowlist.expires_at IS NOT NULL AND allowlist.expires_at <= now()
       RETURNING *`,
      [entry.kind, entry.pattern, entry.reason, entry.owner, entry.by, entry.expiresAt],
    );
    return rows[0] ?? null;
  }

  /** The entry of this kind and pattern, in force or ended, or null. */
  async find(
    manager: EntityManager,
    kind: AllowlistEntry['kind'],
    pattern: string,
  ): Promise<AllowlistRow | null> {
    const rows: AllowlistRow[] = await manager.query(
      `SELECT * FROM allowlist WHERE kind = $1 AND pattern = $2`,
      [kind, pattern],
    );
    return rows[0] ?? null;
  }

  /** The entry, locked until the caller's transaction ends, or null. */
  async lock(manager: EntityManager, id: string): Promise<AllowlistRow | null> {
    const rows: AllowlistRow[] = await manager.query(`SELECT * FROM allowlist WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async update(
    manager: EntityManager,
    id: string,
    change: { reason: string; owner: string; expiresAt: Date | null; by: string },
  ): Promise<AllowlistRow> {
    // TypeORM answers an UPDATE with [rows, affected count], not the rows alone.
    const [rows]: [AllowlistRow[], number] = await manager.query(
      `UPDATE allowlist SET reason = $2, owner = $3, expires_at = $5, version = version + 1, updated_at = now(),
                            updated_by = $4
        WHERE id = $1 RETURNING *`,
      [id, change.reason, change.owner, change.by, change.expiresAt],
    );
    return rows[0];
  }

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM allowlist WHERE id = $1`, [id]);
  }
}
