import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AllowlistEntry, Rule } from '@abuse-monitor/domain';

interface RuleRow {
  id: string;
  version: number;
  name: string;
  window_seconds: Rule['windowSeconds'];
  measure: Rule['measure'];
  kind: Rule['kind'];
  category: Rule['category'];
  number_type: Rule['numberType'];
  threshold: number;
  severity: Rule['severity'];
  action: Rule['action'];
  enabled: boolean;
}

/** The rules as the domain evaluates them, in the caller's transaction. */
export async function rulesInForce(manager: EntityManager): Promise<Rule[]> {
  const rows: RuleRow[] = await manager.query(`SELECT * FROM rules ORDER BY id`);
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    name: r.name,
    windowSeconds: r.window_seconds,
    measure: r.measure,
    kind: r.kind,
    category: r.category,
    numberType: r.number_type,
    threshold: r.threshold,
    severity: r.severity,
    action: r.action,
    enabled: r.enabled,
  }));
}

/** What the aggregator evaluates every batch against, as read at one moment. */
export interface RulesInForceRead {
  rules: Rule[];
  /** The entries in force at the read. */
  allowlist: AllowlistEntry[];
  protectedOriginators: Set<string>;
  /** When the first of these entries ends (epoch ms), or null: the read holds no longer than that. */
  allowlistChangesAt: number | null;
}

/**
 * The rules, the allowlist and the protected originators, which the aggregator keeps in memory
 * between changes (decision 0062): read whole, outside any batch's transaction. Each is small
 * (tens of rules, thousands of entries at most).
 */
@Injectable()
export class RulesInForceRepository {
  async read(manager: EntityManager): Promise<RulesInForceRead> {
    const rules = await rulesInForce(manager);
    const entries: (AllowlistEntry & { expires_at: Date | null })[] = await manager.query(
      `SELECT kind, pattern, reason, owner, expires_at FROM allowlist WHERE expires_at IS NULL OR expires_at > now()`,
    );
    const originators: { number: string }[] = await manager.query(`SELECT number FROM protected_originators`);
    let allowlistChangesAt: number | null = null;
    for (const e of entries) {
      const end = e.expires_at?.getTime() ?? null;
      if (end !== null && (allowlistChangesAt === null || end < allowlistChangesAt)) allowlistChangesAt = end;
    }
    return {
      rules,
      allowlist: entries.map((e) => ({ kind: e.kind, pattern: e.pattern, reason: e.reason, owner: e.owner })),
      protectedOriginators: new Set(originators.map((o) => o.number)),
      allowlistChangesAt,
    };
  }
}
