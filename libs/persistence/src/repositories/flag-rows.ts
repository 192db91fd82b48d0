import type { FlagState } from '@abuse-monitor/domain';

/** A row of `flags` as the driver returns it: the one row type of the table (bigint ids are strings). */
export interface FlagRow {
  id: string;
  reported_number: string;
  kind: FlagState['kind'];
  status: FlagState['status'];
  severity: FlagState['severity'];
  rule_id: string;
  rule_version: number;
  recommended_action: FlagState['recommendedAction'];
  taken_action: FlagState['takenAction'];
  opened_at: Date;
  last_change_at: Date;
  counts_reports_after: Date | null;
  assignee: string | null;
  possibly_coordinated: boolean;
  coordination_share: number | null;
  sequence: number;
  evidence: unknown;
  sla_started_at: Date;
  overdue_since: Date | null;
}

/** A flag as the review queue lists it: its row, its rank of severity and its subscriber's counters. */
export interface QueueFlagRow extends FlagRow {
  rank: number;
  number_type: string | null;
  carrier: string | null;
  distinct_reporters_24h: number | null;
  /** The subscriber's latest report (its counters' last_seen_at). */
  last_report_at: Date | null;
}

/** The columns of a flag the domain's state needs, and nothing else. */
export type FlagStateRow = Pick<
  FlagRow,
  | 'reported_number'
  | 'kind'
  | 'status'
  | 'severity'
  | 'rule_id'
  | 'rule_version'
  | 'recommended_action'
  | 'taken_action'
  | 'opened_at'
  | 'last_change_at'
  | 'counts_reports_after'
  | 'assignee'
  | 'possibly_coordinated'
  | 'sequence'
>;

/**
 * The columns of `FlagStateRow`, to select: a flag's evidence (jsonb of the reports behind it) is
 * most of its row, and the aggregator locks every flag of a batch's numbers without reading it.
 */
export const FLAG_STATE_COLUMNS =
  'reported_number, kind, status, severity, rule_id, rule_version, recommended_action, taken_action, ' +
  'opened_at, last_change_at, counts_reports_after, assignee, possibly_coordinated, sequence';

const ms = (d: Date | null) => (d === null ? null : d.getTime());

export function flagFromRow(row: FlagStateRow): FlagState {
  return {
    reportedNumber: row.reported_number,
    kind: row.kind,
    status: row.status,
    severity: row.severity,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    recommendedAction: row.recommended_action,
    takenAction: row.taken_action,
    openedAt: row.opened_at.getTime(),
    lastChangeAt: row.last_change_at.getTime(),
    countsReportsAfter: ms(row.counts_reports_after),
    assignee: row.assignee,
    possiblyCoordinated: row.possibly_coordinated,
    sequence: row.sequence,
  };
}

export interface HistoryRow {
  sequence: number;
  change: string;
  from_status: string | null;
  to_status: string;
  severity: string;
  rule_id: string;
  rule_version: number;
  recommended_action: string;
  taken_action: string | null;
  possibly_coordinated: boolean;
  actor: string;
  note: string | null;
  event_id: string | null;
  occurred_at: Date;
  /** Null on rows written before the columns existed, and on changes no person decided. */
  reason_code: string | null;
  from_assignee: string | null;
  to_assignee: string | null;
}

export interface CountersRow {
  number_type: string;
  carrier: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  total_reports: string;
  counted_at: Date;
  reports_1h: number;
  distinct_reporters_1h: number;
  reports_24h: number;
  distinct_reporters_24h: number;
  reports_7d: number;
  distinct_reporters_7d: number;
  reports_30d: number;
  distinct_reporters_30d: number;
  by_kind_30d: Record<string, { reports: number; distinctReporters: number }>;
  by_category_30d: Record<string, { reports: number; distinctReporters: number }>;
}

export interface ReportViewRow {
  report_id: string;
  reporter: string;
  channel: string;
  short_code: string | null;
  agent_id: string | null;
  kind: string;
  category: string;
  content: string | null;
  received_at: Date;
  weighted: boolean;
}

/** Who stands behind a flag's counted reports: SMS reporters (agent null) or one agent. */
export interface SourceRow {
  agent_id: string | null;
  reports: number;
  reporters: number;
}
