import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { FlagHistoryEntry, FlagState } from '@abuse-monitor/domain';
import { lockedRows } from './locked-rows';
import { FLAG_STATE_COLUMNS, FlagStateRow, flagFromRow } from '../repositories/flag-rows';

export { flagFromRow };

const iso = (n: number | null) => (n === null ? null : new Date(n).toISOString());

export interface FlagChangeToSave {
  flag: FlagState;
  coordinationShare: number | null;
  history: readonly FlagHistoryEntry[];
  /** The event id of each history entry that is also an event. */
  eventIds: ReadonlyMap<number, string>;
}

const SLA_RESTARTS: ReadonlySet<string> = new Set([
  'opened',
  'reopened',
  'escalated',
  'claimed',
  'assigned',
  'reassigned',
]);

/** A raise restarts the queue's clock; in review it only shortens the time left (a higher severity's SLA). */
const restartsSla = (h: FlagHistoryEntry) =>
  SLA_RESTARTS.has(h.change) || (h.change === 'raised' && h.toStatus === 'open');

/**
 * What the saved changes do to the SLA clock: it restarts when the flag enters the queue, is raised
 * there, or goes to a (new) reviewer; the overdue mark holds until then or until the status changes.
 */
export function slaAfter(history: readonly FlagHistoryEntry[]): {
  restartedAt: number | null;
  overdue: 'keep' | 'clear' | number;
} {
  let restartedAt: number | null = null;
  let overdue: 'keep' | 'clear' | number = 'keep';
  for (const h of history) {
    if (restartsSla(h)) {
      restartedAt = h.at;
      overdue = 'clear';
    }
    if (h.change === 'overdue') overdue = h.at;
    else if (h.fromStatus !== h.toStatus) overdue = 'clear';
  }
  return { restartedAt, overdue };
}

/** One flag per reported number, and every change of it as a row of history. */
@Injectable()
export class FlagChangesRepository {
  async forUpdate(numbers: readonly string[], manager: EntityManager): Promise<Map<string, FlagState>> {
    if (numbers.length === 0) return new Map();
    const rows = await lockedRows<FlagStateRow>(
      manager,
      'flags',
      'reported_number',
      FLAG_STATE_COLUMNS,
      numbers,
    );
    return new Map(rows.map((r) => [r.reported_number, flagFromRow(r)]));
  }

  /** Returns the campaign of each saved flag's number that is in one (decision 0054). */
  save(changes: readonly FlagChangeToSave[], manager: EntityManager): Promise<Map<string, string>> {
    return saveFlagChanges(changes, manager);
  }
}

/**
 * Upserts the flags and appends their history rows, with the evidence and SLA clock they imply.
 * Returns the campaign of each number that is in one, which its events name (decision 0054): read
 * by the upsert, one key lookup per changed flag, rather than by a round trip of its own.
 */
export async function saveFlagChanges(
  changes: readonly FlagChangeToSave[],
  manager: EntityManager,
): Promise<Map<string, string>> {
  if (changes.length === 0) return new Map();
  const flags = changes.map((c) => c.flag);
  const ids: { id: string; reported_number: string; campaign_id: string | null }[] = await manager.query(
    `INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action, taken_action,
                          opened_at, last_change_at, counts_reports_after, assignee, possibly_coordinated,
                          coordination_share, sequence, kind, evidence, sla_started_at)
       SELECT u.*, NULL::jsonb, u.opened_at FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[],
                                           $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[],
                                           $11::text[], $12::boolean[], $13::real[], $14::int[], $15::text[])
                 AS u(reported_number, status, severity, rule_id, rule_version, recommended_action, taken_action,
                      opened_at, last_change_at, counts_reports_after, assignee, possibly_coordinated,
                      coordination_share, sequence, kind)
       ON CONFLICT (reported_number) DO UPDATE SET
         kind = EXCLUDED.kind, status = EXCLUDED.status, severity = EXCLUDED.severity, rule_id = EXCLUDED.rule_id,
         rule_version = EXCLUDED.rule_version, recommended_action = EXCLUDED.recommended_action,
         taken_action = EXCLUDED.taken_action, last_change_at = EXCLUDED.last_change_at,
         counts_reports_after = EXCLUDED.counts_reports_after, assignee = EXCLUDED.assignee,
         possibly_coordinated = EXCLUDED.possibly_coordinated,
         coordination_share = COALESCE(EXCLUDED.coordination_share, flags.coordination_share),
         sequence = EXCLUDED.sequence, updated_at = now()
       RETURNING id, reported_number,
                 (SELECT m.campaign_id FROM campaign_members m WHERE m.reported_number = flags.reported_number)
                   AS campaign_id`,
    [
      flags.map((f) => f.reportedNumber),
      flags.map((f) => f.status),
      flags.map((f) => f.severity),
      flags.map((f) => f.ruleId),
      flags.map((f) => f.ruleVersion),
      flags.map((f) => f.recommendedAction),
      flags.map((f) => f.takenAction),
      flags.map((f) => iso(f.openedAt)),
      flags.map((f) => iso(f.lastChangeAt)),
      flags.map((f) => iso(f.countsReportsAfter)),
      flags.map((f) => f.assignee),
      flags.map((f) => f.possiblyCoordinated),
      changes.map((c) => c.coordinationShare),
      flags.map((f) => f.sequence),
      flags.map((f) => f.kind),
    ],
  );
  const flagIds = new Map(ids.map((r) => [r.reported_number, r.id]));
  const history = changes.flatMap((c) =>
    c.history.map((h) => ({ h, eventId: c.eventIds.get(h.sequence) ?? null })),
  );
  const sla = changes.map((c) => slaAfter(c.history));
  // One statement for what the upsert could not say and for the history: each is a round trip,
  // which costs more here than the rows (decision 0072). The evidence of the latest rule-made
  // change explains the flag as it stands; a change without any keeps the flag's.
  await manager.query(
    `WITH explained AS (
       UPDATE flags f SET
         evidence = COALESCE(s.evidence, f.evidence),
         sla_started_at = GREATEST(COALESCE(s.restarted_at, f.sla_started_at), f.sla_started_at),
         overdue_since = CASE s.overdue WHEN 'keep' THEN f.overdue_since WHEN 'clear' THEN NULL
                                        ELSE s.overdue::timestamptz END
         FROM unnest($21::text[], $22::jsonb[], $23::timestamptz[], $24::text[])
                AS s(reported_number, evidence, restarted_at, overdue)
        WHERE f.reported_number = s.reported_number)
     INSERT INTO flag_history (flag_id, reported_number, sequence, change, from_status, to_status, severity, rule_id,
                               rule_version, recommended_action, taken_action, possibly_coordinated, actor, note,
                               evidence, event_id, occurred_at, reason_code, from_assignee, to_assignee)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::int[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::text[],
                            $15::jsonb[], $16::text[], $17::timestamptz[], $18::text[], $19::text[], $20::text[])`,
    [
      history.map(({ h }) => flagIds.get(h.reportedNumber)),
      history.map(({ h }) => h.reportedNumber),
      history.map(({ h }) => h.sequence),
      history.map(({ h }) => h.change),
      history.map(({ h }) => h.fromStatus),
      history.map(({ h }) => h.toStatus),
      history.map(({ h }) => h.severity),
      history.map(({ h }) => h.ruleId),
      history.map(({ h }) => h.ruleVersion),
      history.map(({ h }) => h.recommendedAction),
      history.map(({ h }) => h.takenAction),
      history.map(({ h }) => h.possiblyCoordinated),
      history.map(({ h }) => h.actor),
      history.map(({ h }) => h.note),
      history.map(({ h }) => (h.evidence === null ? null : JSON.stringify(h.evidence))),
      history.map(({ eventId }) => eventId),
      history.map(({ h }) => iso(h.at)),
      history.map(({ h }) => h.reasonCode ?? null),
      history.map(({ h }) => h.fromAssignee ?? null),
      history.map(({ h }) => h.toAssignee ?? null),
      changes.map((c) => c.flag.reportedNumber),
      changes.map((c) => {
        const latest = [...c.history].reverse().find((h) => h.evidence !== null);
        return latest ? JSON.stringify(latest.evidence) : null;
      }),
      sla.map((x) => iso(x.restartedAt)),
      sla.map((x) => (typeof x.overdue === 'number' ? iso(x.overdue) : x.overdue)),
    ],
  );
  const campaigns = new Map<string, string>();
  for (const r of ids) if (r.campaign_id !== null) campaigns.set(r.reported_number, String(r.campaign_id));
  return campaigns;
}
