import type { FlagFilter } from './flag-queue';

export const RANK = `CASE f.severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
export const FLAG_COLUMNS = `f.*, ${RANK} AS rank, c.number_type, c.carrier, c.distinct_reporters_24h, c.last_seen_at AS last_report_at`;
export const FROM_FLAGS = `flags f LEFT JOIN subscriber_counters c ON c.reported_number = f.reported_number`;

/** The history changes that decide a flag: "decided by" reads the latest of them. */
export const DECIDING_CHANGES = `('actioned', 'dismissed')`;

/** Every value reaches SQL as a bound parameter; only fixed fragments are spliced in. */
export class Conditions {
  readonly sql: string[] = [];
  readonly params: unknown[] = [];

  add(fragment: (param: string) => string, value: unknown): void {
    this.params.push(value);
    this.sql.push(fragment(`$${this.params.length}`));
  }

  /** A parameter without a condition, for a fragment that uses it several times. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(extra: readonly string[] = []): string {
    const all = [...this.sql, ...extra];
    return all.length ? `WHERE ${all.join(' AND ')}` : '';
  }
}

/** The queue's filters as conditions on `flags f` joined to `subscriber_counters c`. */
export function filterConditions(filter: FlagFilter, options: { statusAndSeverity?: boolean } = {}) {
  const c = new Conditions();
  if (options.statusAndSeverity !== false) {
    if (filter.status) c.add((p) => `f.status = ANY(${p}::text[])`, filter.status);
    if (filter.severity) c.add((p) => `f.severity = ANY(${p}::text[])`, filter.severity);
  }
  // A spoofing-only read is a range of flags_spoofing_queue_idx, a partial index of the few of them.
  if (filter.kind) c.add((p) => `f.kind = ANY(${p}::text[])`, filter.kind);
  if (filter.carrier) c.add((p) => `c.carrier = ANY(${p}::text[])`, filter.carrier);
  if (filter.numberType) c.add((p) => `c.number_type = ANY(${p}::text[])`, filter.numberType);
  if (filter.assignee) c.add((p) => `f.assignee = ${p}`, filter.assignee);
  if (filter.openedSince) c.add((p) => `f.opened_at >= ${p}::timestamptz`, filter.openedSince);
  if (filter.openedUntil) c.add((p) => `f.opened_at < ${p}::timestamptz`, filter.openedUntil);
  if (filter.overdue !== undefined)
    c.add((p) => `(f.overdue_since IS NOT NULL) = ${p}::boolean`, filter.overdue);
  if (filter.coordinated !== undefined)
    c.add((p) => `f.possibly_coordinated = ${p}::boolean`, filter.coordinated);
  if (filter.decidedBy)
    // The person's decisions come from their own entries (flag_history_decisions_idx); a flag
    // decided again by someone else since is not theirs any more.
    c.add(
      (p) => `f.id IN (SELECT h.flag_id FROM flag_history h
                        WHERE h.actor = ${p} AND h.change IN ${DECIDING_CHANGES}
                          AND NOT EXISTS (SELECT 1 FROM flag_history l
                                           WHERE l.flag_id = h.flag_id AND l.change IN ${DECIDING_CHANGES}
                                             AND l.sequence > h.sequence))`,
      filter.decidedBy,
    );
  if (filter.claimableBy)
    c.add((p) => `f.status = 'open' AND (f.assignee IS NULL OR f.assignee = ${p})`, filter.claimableBy);
  return c;
}
