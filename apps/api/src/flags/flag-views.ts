import { z } from 'zod';
import {
  CARRIERS,
  CATEGORIES,
  FLAG_CHANGES,
  FLAG_STATUSES,
  maskNumber,
  NUMBER_TYPES,
  RECOMMENDED_ACTIONS,
  REPORT_KINDS,
  SEVERITIES,
  TAKEN_ACTIONS,
} from '@abuse-monitor/domain';
import { CHANNELS } from '@abuse-monitor/messaging';

/** The shapes flags, reports and counters take in answers, and how rows become them. */

const time = z.string().describe('ISO 8601 UTC');
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export const flagSummary = z.object({
  id: z.number().int(),
  version: z.number().int().describe('send it back as If-Match (or `version`) to change the flag'),
  reportedNumber: z.string(),
  status: z.enum(FLAG_STATUSES),
  severity: z.enum(SEVERITIES),
  ruleId: z.string(),
  ruleVersion: z.number().int(),
  recommendedAction: z.enum(RECOMMENDED_ACTIONS),
  takenAction: z.enum(TAKEN_ACTIONS).nullable(),
  openedAt: time,
  lastChangeAt: time,
  assignee: z.string().nullable(),
  possiblyCoordinated: z.boolean(),
  numberType: z.enum(NUMBER_TYPES).nullable(),
  carrier: z.enum(CARRIERS).nullable(),
  distinctReporters24h: z.number().int().nullable(),
  slaStartedAt: time.describe(
    "the SLA runs from here: the flag's last entry in the queue, change of severity, or claim or assignment",
  ),
  overdueSince: time
    .nullable()
    .describe('past its SLA, for supervisors: a high flag nobody claimed, or a flag claimed and not decided'),
});
export type FlagSummary = z.input<typeof flagSummary>;

export interface FlagRow {
  id: string;
  sequence: number;
  reported_number: string;
  status: FlagSummary['status'];
  severity: FlagSummary['severity'];
  rule_id: string;
  rule_version: number;
  recommended_action: FlagSummary['recommendedAction'];
  taken_action: FlagSummary['takenAction'];
  opened_at: Date;
  last_change_at: Date;
  counts_reports_after: Date | null;
  assignee: string | null;
  possibly_coordinated: boolean;
  coordination_share: number | null;
  evidence: unknown;
  number_type: FlagSummary['numberType'];
  carrier: FlagSummary['carrier'];
  distinct_reporters_24h: number | null;
  sla_started_at: Date;
  overdue_since: Date | null;
}

export function flagSummaryOf(row: FlagRow): FlagSummary {
  return {
    id: Number(row.id),
    version: row.sequence,
    reportedNumber: row.reported_number,
    status: row.status,
    severity: row.severity,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    recommendedAction: row.recommended_action,
    takenAction: row.taken_action,
    openedAt: row.opened_at.toISOString(),
    lastChangeAt: row.last_change_at.toISOString(),
    assignee: row.assignee,
    possiblyCoordinated: row.possibly_coordinated,
    numberType: row.number_type,
    carrier: row.carrier,
    distinctReporters24h: row.distinct_reporters_24h,
    slaStartedAt: row.sla_started_at.toISOString(),
    overdueSince: iso(row.overdue_since),
  };
}

const windowCount = z.object({ reports: z.number().int(), distinctReporters: z.number().int() });

export const countersView = z.object({
  numberType: z.enum(NUMBER_TYPES),
  carrier: z.enum(CARRIERS).nullable(),
  firstSeenAt: time,
  lastSeenAt: time,
  totalReports: z.number().int(),
  countedAt: time.describe('windows end at the latest report, not at the time of the request'),
  windows: z.object({ '1h': windowCount, '24h': windowCount, '7d': windowCount, '30d': windowCount }),
  byKind30d: z.record(z.string(), windowCount),
  byCategory30d: z.record(z.string(), windowCount),
});

export interface CountersRow {
  number_type: z.input<typeof countersView>['numberType'];
  carrier: z.input<typeof countersView>['carrier'];
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

export function countersOf(row: CountersRow): z.input<typeof countersView> {
  const pick = (byKey: Record<string, { reports: number; distinctReporters: number }>) =>
    Object.fromEntries(
      Object.entries(byKey)
        .filter(([, c]) => c.reports > 0)
        .map(([k, c]) => [k, { reports: c.reports, distinctReporters: c.distinctReporters }]),
    );
  return {
    numberType: row.number_type,
    carrier: row.carrier,
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    totalReports: Number(row.total_reports),
    countedAt: row.counted_at.toISOString(),
    windows: {
      '1h': { reports: row.reports_1h, distinctReporters: row.distinct_reporters_1h },
      '24h': { reports: row.reports_24h, distinctReporters: row.distinct_reporters_24h },
      '7d': { reports: row.reports_7d, distinctReporters: row.distinct_reporters_7d },
      '30d': { reports: row.reports_30d, distinctReporters: row.distinct_reporters_30d },
    },
    byKind30d: pick(row.by_kind_30d),
    byCategory30d: pick(row.by_category_30d),
  };
}

export const reportView = z.object({
  reportId: z.string(),
  reporter: z.string().describe('masked (091*****78) below the supervisor role'),
  channel: z.enum(CHANNELS),
  shortCode: z.string().nullable(),
  kind: z.enum(REPORT_KINDS),
  category: z.enum(CATEGORIES),
  content: z.string().nullable(),
  receivedAt: time,
  weighted: z.boolean().describe('false: from a reporter marked suspicious, counted but without weight'),
});

export interface ReportViewRow {
  report_id: string;
  reporter: string;
  channel: z.input<typeof reportView>['channel'];
  short_code: string | null;
  kind: z.input<typeof reportView>['kind'];
  category: z.input<typeof reportView>['category'];
  content: string | null;
  received_at: Date;
  weighted: boolean;
}

export function reportOf(row: ReportViewRow, unmasked: boolean): z.input<typeof reportView> {
  return {
    reportId: row.report_id,
    reporter: unmasked ? row.reporter : maskNumber(row.reporter),
    channel: row.channel,
    shortCode: row.short_code,
    kind: row.kind,
    category: row.category,
    content: row.content,
    receivedAt: row.received_at.toISOString(),
    weighted: row.weighted,
  };
}

export const historyView = z.object({
  sequence: z.number().int(),
  change: z.enum(FLAG_CHANGES),
  fromStatus: z.enum(FLAG_STATUSES).nullable(),
  toStatus: z.enum(FLAG_STATUSES),
  severity: z.enum(SEVERITIES),
  ruleId: z.string(),
  ruleVersion: z.number().int(),
  recommendedAction: z.enum(RECOMMENDED_ACTIONS),
  takenAction: z.enum(TAKEN_ACTIONS).nullable(),
  possiblyCoordinated: z.boolean(),
  actor: z.string(),
  note: z.string().nullable(),
  eventId: z.string().nullable(),
  occurredAt: time,
});

export interface HistoryRow {
  sequence: number;
  change: z.input<typeof historyView>['change'];
  from_status: z.input<typeof historyView>['fromStatus'];
  to_status: z.input<typeof historyView>['toStatus'];
  severity: z.input<typeof historyView>['severity'];
  rule_id: string;
  rule_version: number;
  recommended_action: z.input<typeof historyView>['recommendedAction'];
  taken_action: z.input<typeof historyView>['takenAction'];
  possibly_coordinated: boolean;
  actor: string;
  note: string | null;
  event_id: string | null;
  occurred_at: Date;
}

export function historyOf(row: HistoryRow): z.input<typeof historyView> {
  return {
    sequence: row.sequence,
    change: row.change,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    severity: row.severity,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    recommendedAction: row.recommended_action,
    takenAction: row.taken_action,
    possiblyCoordinated: row.possibly_coordinated,
    actor: row.actor,
    note: row.note,
    eventId: row.event_id,
    occurredAt: row.occurred_at.toISOString(),
  };
}

export const evidenceView = z
  .object({
    ruleId: z.string(),
    ruleVersion: z.number().int(),
    measured: z.number().int().describe("the rule's measure when it fired"),
    threshold: z.number().int(),
    reportsBehind: z.number().int(),
    reportIds: z.array(z.string()).describe('the reports behind the flag (capped)'),
    counts: z.record(z.string(), z.unknown()).describe('all counters of the number when the rule fired'),
  })
  .nullable();

export { iso };
