import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ProtectedOriginatorKind } from '@abuse-monitor/domain';

export interface ProtectedOriginatorRow {
  id: string;
  number: string;
  name: string;
  kind: ProtectedOriginatorKind;
  reason: string;
  version: number;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
}

export interface NewProtectedOriginator {
  number: string;
  name: string;
  kind: ProtectedOriginatorKind;
  reason: string;
  /** Who adds it (a token name, or PROTECTED_NUMBERS for the migrate step's seed). */
  by: string;
}

/** Who seeded an entry from the deprecated setting, as its audit trail (created_by) says. */
export const SEEDED_BY = 'PROTECTED_NUMBERS';

/**
 * The numbers of banks, authorities and the operator's own services (decision 0057): reports about
 * them are counted like any other, and their flags are 'spoofing' flags, never actioned.
 */
@Injectable()
export class ProtectedOriginatorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The entry of a number, or null: what a refused decision names. */
  async find(
    number: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProtectedOriginatorRow | null> {
    const rows: ProtectedOriginatorRow[] = await manager.query(
      `SELECT * FROM protected_originators WHERE number = $1`,
      [number],
    );
    return rows[0] ?? null;
  }

  /**
   * Up to `limit` entries after the number `after` (from the first when null), by number: a range
   * of its unique index, however long the list grows (the allowlist's keyset, decision 0043).
   */
  page(after: string | null, limit: number): Promise<ProtectedOriginatorRow[]> {
    // Every number starts with +84, so '' comes before the first entry.
    return this.dataSource.query(
      `SELECT * FROM protected_originators WHERE number > $1 ORDER BY number LIMIT $2`,
      [after ?? '', limit],
    );
  }

  /** The entry as created, or null when the number is already protected. */
  async insert(
    manager: EntityManager,
    entry: NewProtectedOriginator,
  ): Promise<ProtectedOriginatorRow | null> {
    const rows: ProtectedOriginatorRow[] = await manager.query(
      `INSERT INTO protected_originators (number, name, kind, reason, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (number) DO NOTHING RETURNING *`,
      [entry.number, entry.name, entry.kind, entry.reason, entry.by],
    );
    return rows[0] ?? null;
  }

  /** The entry, locked until the caller's transaction ends, or null. */
  async lock(manager: EntityManager, id: string): Promise<ProtectedOriginatorRow | null> {
    const rows: ProtectedOriginatorRow[] = await manager.query(
      `SELECT * FROM protected_originators WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM protected_originators WHERE id = $1`, [id]);
  }
}

/**
 * The migrate step's seed from the deprecated PROTECTED_NUMBERS: adds the numbers not yet
 * protected, never changes or removes an entry (supervisors own the list once it exists), and
 * answers how many it added.
 */
export async function seedProtectedOriginators(
  manager: EntityManager,
  numbers: readonly string[],
): Promise<number> {
  if (numbers.length === 0) return 0;
  const rows: unknown[] = await manager.query(
    `INSERT INTO protected_originators (number, name, kind, reason, created_by, updated_by)
     SELECT n, n, 'other', 'listed in PROTECTED_NUMBERS', $2, $2 FROM unnest($1::text[]) AS n
     ON CONFLICT (number) DO NOTHING RETURNING id`,
    [numbers, SEEDED_BY],
  );
  return rows.length;
}
