import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A row of `rules` as stored; the API's views read it column by column. */
export type RuleRow = Record<string, unknown>;

export interface RuleVersionRow {
  definition: Record<string, unknown>;
  created_at: Date;
  created_by: string;
}

/** The fields of a rule as it is written (the definition the domain validated). */
export interface RuleToWrite {
  id: string;
  name: string;
  windowSeconds: number;
  measure: string;
  kind: string | null;
  category: string | null;
  numberType: string | null;
  threshold: number;
  severity: string;
  action: string;
  enabled: boolean;
}

const ruleParams = (rule: RuleToWrite, by: string) => [
  rule.id,
  rule.name,
  rule.windowSeconds,
  rule.measure,
  rule.kind,
  rule.category,
  rule.numberType,
  rule.threshold,
  rule.severity,
  rule.action,
  rule.enabled,
  by,
];

/** Flagging rules and every version of them (a trigger keeps rule_versions). */
@Injectable()
export class RulesRepository {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<RuleRow[]> {
    return this.dataSource.query(`SELECT * FROM rules ORDER BY id`);
  }

  async byId(id: string): Promise<RuleRow | null> {
    const rows: RuleRow[] = await this.dataSource.query(`SELECT * FROM rules WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The rule, locked until the caller's transaction ends, or null. */
  async lock(manager: EntityManager, id: string): Promise<RuleRow | null> {
    const rows: RuleRow[] = await manager.query(`SELECT * FROM rules WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Newest first. */
  versions(id: string): Promise<RuleVersionRow[]> {
    return this.dataSource.query(`SELECT * FROM rule_versions WHERE id = $1 ORDER BY version DESC`, [id]);
  }

  /** Whether a rule of this id exists or ever existed (ids are never reused). */
  async idEverUsed(manager: EntityManager, id: string): Promise<boolean> {
    const used: unknown[] = await manager.query(`SELECT 1 FROM rule_versions WHERE id = $1 LIMIT 1`, [id]);
    return used.length > 0;
  }

  async insert(manager: EntityManager, rule: RuleToWrite, by: string): Promise<RuleRow> {
    const rows: RuleRow[] = await manager.query(
      `INSERT INTO rules (id, name, window_seconds, measure, kind, category, number_type, threshold, severity, action,
                          enabled, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      ruleParams(rule, by),
    );
    return rows[0];
  }

  async update(manager: EntityManager, rule: RuleToWrite, by: string): Promise<RuleRow> {
    // TypeORM answers an UPDATE with [rows, affected count], not the rows alone.
    const [rows]: [RuleRow[], number] = await manager.query(
      `UPDATE rules SET name = $2, window_seconds = $3, measure = $4, kind = $5, category = $6, number_type = $7,
                        threshold = $8, severity = $9, action = $10, enabled = $11, updated_by = $12
        WHERE id = $1 RETURNING *`,
      ruleParams(rule, by),
    );
    return rows[0];
  }

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM rules WHERE id = $1`, [id]);
  }
}
