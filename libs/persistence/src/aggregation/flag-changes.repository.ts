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
 * Writes the flags and appends their history rows, with the evidence and SLA clock they imply, in
 * one statement that writes each flag row once (decision 0079). Returns the campaign of each number
 * that is in one, which its events name (decision 0054): one key lookup per changed flag, rather
 * than a round trip of its own.
 */
export async function saveFlagChanges(
  changes: readonly FlagChangeToSave[],
  manager: EntityManager,
): Promise<Map<string, string>> {
  if (changes.length === 0) return new Map();
  const flags = changes.map((c) => c.flag);
  if (new Set(flags.map((f) => f.reportedNumber)).size !== flags.length) {
    throw new Error('saveFlagChanges: one change per flag, each with all its history');
  }
  const storedSequences = changes.map((c) => (c.history[0]?.sequence ?? c.flag.sequence + 1) - 1);
  const history = changes.flatMap((c) =>
    c.history.map((h) => ({ h, eventId: c.eventIds.get(h.sequence) ?? null })),
  );
  const sla = changes.map((c) => slaAfter(c.history));
  // A change knows whether its flag was stored: its first history entry follows the stored
  // sequence, and a new flag's is 1. A stored flag is updated only at that sequence and a new one
  // inserted without looking, so a flag another transaction wrote since the caller read it fails
  // the statement (the history's flag id is NULL, or the number's key is taken) instead of being
  // overwritten. The evidence of the latest rule-made change explains the flag as it stands; a
  // change without any keeps the flag's.
  const saved: { reported_number: string; campaign_id: string | null }[] = await manager.query(
    `WITH s AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[],
                            $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::boolean[],
                            $13::real[], $14::int[], $15::text[], $16::jsonb[], $17::timestamptz[], $18::text[],
                            $38::int[])
                AS s(reported_number, status, severity, rule_id, rule_version, recommended_action, taken_action,
                     opened_at, last_change_at, counts_reports_after, assignee, possibly_coordinated,
                     coordination_share, sequence, kind, evidence, sla_restarted_at, overdue, stored_sequence)),
     updated AS (
       UPDATE flags f SET
         kind = s.kind, status = s.status, severity = s.severity, rule_id = s.rule_id,
         rule_version = s.rule_version, recommended_action = s.recommended_action, taken_action = s.taken_action,
         last_change_at = s.last_change_at, counts_reports_after = s.counts_reports_after, assignee = s.assignee,
         possibly_coordinated = s.possibly_coordinated,
         coordination_share = COALESCE(s.coordination_share, f.coordination_share),
         sequence = s.sequence, updated_at = now(),
         evidence = COALESCE(s.evidence, f.evidence),
         sla_started_at = GREATEST(COALESCE(s.sla_restarted_at, f.sla_started_at), f.sla_started_at),
         overdue_since = CASE s.overdue WHEN 'keep' THEN f.overdue_since WHEN 'clear' THEN NULL
                                        ELSE s.overdue::timestamptz END
         FROM s WHERE f.reported_number = s.reported_number AND f.sequence = s.stored_sequence
                  AND s.stored_sequence > 0
       RETURNING f.id, f.reported_number),
     inserted AS (
       INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action, taken_action,
                          opened_at, last_change_at, counts_reports_after, assignee, possibly_coordinated,
                          coordination_share, sequence, kind, evidence, sla_started_at, overdue_since)
         SELECT s.reported_number, s.status, s.severity, s.rule_id, s.rule_version, s.recommended_action,
                s.taken_action, s.opened_at, s.last_change_at, s.counts_reports_after, s.assignee,
                s.possibly_coordinated, s.coordination_share, s.sequence, s.kind, s.evidence,
                GREATEST(COALESCE(s.sla_restarted_at, s.opened_at), s.opened_at),
                CASE WHEN s.overdue IN ('keep', 'clear') THEN NULL ELSE s.overdue::timestamptz END
           FROM s WHERE s.stored_sequence = 0
       RETURNING id, reported_number),
     written AS (SELECT * FROM updated UNION ALL SELECT * FROM inserted),
     appended AS (
       INSERT INTO flag_history (flag_id, reported_number, sequence, change, from_status, to_status, severity,
                                 rule_id, rule_version, recommended_action, taken_action, possibly_coordinated,
                                 actor, note, evidence, event_id, occurred_at, reason_code, from_assignee,
                                 to_assignee)
         SELECT w.id, h.reported_number, h.sequence, h.change, h.from_status, h.to_status, h.severity, h.rule_id,
                h.rule_version, h.recommended_action, h.taken_action, h.possibly_coordinated, h.actor, h.note,
                h.evidence, h.event_id, h.occurred_at, h.reason_code, h.from_assignee, h.to_assignee
           FROM unnest($19::text[], $20::int[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[],
                       $26::int[], $27::text[], $28::text[], $29::boolean[], $30::text[], $31::text[], $32::jsonb[],
                       $33::text[], $34::timestamptz[], $35::text[], $36::text[], $37::text[]) WITH ORDINALITY
                AS h(reported_number, sequence, change, from_status, to_status, severity, rule_id, rule_version,
                     recommended_action, taken_action, possibly_coordinated, actor, note, evidence, event_id,
                     occurred_at, reason_code, from_assignee, to_assignee, n)
           LEFT JOIN written w ON w.reported_number = h.reported_number
          ORDER BY h.n)
     SELECT w.reported_number,
            (SELECT m.campaign_id FROM campaign_members m WHERE m.reported_number = w.reported_number) AS campaign_id
       FROM written w`,
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
      changes.map((c) => {
        const latest = [...c.history].reverse().find((h) => h.evidence !== null);
        return latest ? JSON.stringify(latest.evidence) : null;
      }),
      sla.map((x) => iso(x.restartedAt)),
      sla.map((x) => (typeof x.overdue === 'number' ? iso(x.overdue) : x.overdue)),
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
      storedSequences,
    ],
  );
  const campaigns = new Map<string, string>();
  for (const r of saved) if (r.campaign_id !== null) campaigns.set(r.reported_number, String(r.campaign_id));
  return campaigns;
}
