import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AllowlistEntry, Rule } from '@abuse-monitor/domain';
import { allowlistEntries } from '../repositories/allowlist.repository';

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

/** Rules and the allowlist, read fresh for every batch so a change applies to the next one. */
@Injectable()
export class RulesInForceRepository {
  rules(manager: EntityManager): Promise<Rule[]> {
    return rulesInForce(manager);
  }

  allowlist(manager: EntityManager): Promise<AllowlistEntry[]> {
    return allowlistEntries(manager);
  }
}
