import { z } from 'zod';
import type {
  CountersRow,
  HistoryRow,
  QueueFlagRow,
  QueueSla,
  ReportViewRow,
  SourceRow,
} from '@abuse-monitor/persistence';
import {
  CARRIERS,
  CATEGORIES,
  FLAG_CHANGES,
  FLAG_KINDS,
  FLAG_RECOMMENDATIONS,
  FLAG_STATUSES,
  type FlagSources,
  maskNumber,
  NUMBER_TYPES,
  REPORT_KINDS,
  SEVERITIES,
  singleSourceExplanation,
  TAKEN_ACTIONS,
} from '@abuse-monitor/domain';
import { CHANNELS } from '@abuse-monitor/messaging';
import { recognised, recognisedOrNull, storedEnum } from '../http/stored-values';
import { appealSummary } from '../appeals/appeal-views';

/** The shapes flags, reports and counters take in answers, and how rows become them. */

const time = z.string().describe('ISO 8601 UTC');
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export const flagSummary = z.object({
  id: z.number().int(),
  version: z.number().int().describe('send it back as If-Match (or `version`) to change the flag'),
  reportedNumber: z.string(),
  kind: storedEnum(FLAG_KINDS).describe(
    'spoofing: the number is a protected originator (a bank, an authority, a service number) whose caller ID is ' +
      'probably spoofed; it recommends investigate_origin and refuses every action but refer_police (decision 0057)',
  ),
  status: storedEnum(FLAG_STATUSES),
  severity: storedEnum(SEVERITIES),
  ruleId: z.string(),
  ruleVersion: z.number().int(),
  recommendedAction: storedEnum(FLAG_RECOMMENDATIONS),
  takenAction: storedEnum(TAKEN_ACTIONS).nullable(),
  openedAt: time,
  lastChangeAt: time,
  assignee: z.string().nullable(),
  possiblyCoordinated: z.boolean(),
  numberType: storedEnum(NUMBER_TYPES).nullable(),
  carrier: storedEnum(CARRIERS).nullable(),
  distinctReporters24h: z.number().int().nullable(),
  slaStartedAt: time.describe(
    "the SLA runs from here: the flag's last entry in the queue, change of severity, or claim or assignment",
  ),
  overdueSince: time
    .nullable()
    .describe('past its SLA, for supervisors: a high flag nobody claimed, or a flag claimed and not decided'),
  slaDueAt: time
    .nullable()
    .optional()
    .describe(
      "when the SLA of the flag's stage runs out: open, claimed by then (a high one is marked overdue, " +
        'a lower one goes up a severity); in review, decided by then. Null once decided',
    ),
  lastReportAt: time.nullable().optional().describe("the number's latest report"),
  appeal: appealSummary.nullable().optional(),
});
export type FlagSummary = z.input<typeof flagSummary>;

/** When the SLA of the flag's current stage runs out, by the SLAs the API was given; null once decided. */
export function slaDueAtOf(row: QueueFlagRow, sla: QueueSla): Date | null {
  if (row.status !== 'open' && row.status !== 'in_review') return null;
  const bySeverity: Partial<Record<string, number>> = sla[row.status];
  const ms = bySeverity[row.severity];
  return ms === undefined ? null : new Date(row.sla_started_at.getTime() + ms);
}

/** Without `sla`, the answer leaves slaDueAt out rather than guess it. */
export function flagSummaryOf(row: QueueFlagRow, sla?: QueueSla): FlagSummary {
  return {
    id: Number(row.id),
    version: row.sequence,
    reportedNumber: row.reported_number,
    kind: recognised(FLAG_KINDS, row.kind),
    status: recognised(FLAG_STATUSES, row.status),
    severity: recognised(SEVERITIES, row.severity),
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    recommendedAction: recognised(FLAG_RECOMMENDATIONS, row.recommended_action),
    takenAction: recognisedOrNull(TAKEN_ACTIONS, row.taken_action),
    openedAt: row.opened_at.toISOString(),
    lastChangeAt: row.last_change_at.toISOString(),
    assignee: row.assignee,
    possiblyCoordinated: row.possibly_coordinated,
    numberType: recognisedOrNull(NUMBER_TYPES, row.number_type),
    carrier: recognisedOrNull(CARRIERS, row.carrier),
    distinctReporters24h: row.distinct_reporters_24h,
    slaStartedAt: row.sla_started_at.toISOString(),
    overdueSince: iso(row.overdue_since),
    ...(sla ? { slaDueAt: iso(slaDueAtOf(row, sla)) } : {}),
    lastReportAt: iso(row.last_report_at ?? null),
  };
}

const windowCount = z.object({ reports: z.number().int(), distinctReporters: z.number().int() });

export const countersView = z.object({
  numberType: storedEnum(NUMBER_TYPES),
  carrier: storedEnum(CARRIERS).nullable(),
  firstSeenAt: time,
  lastSeenAt: time,
  totalReports: z.number().int(),
  countedAt: time.describe('windows end at the latest report, not at the time of the request'),
  windows: z.object({ '1h': windowCount, '24h': windowCount, '7d': windowCount, '30d': windowCount }),
  byKind30d: z.record(z.string(), windowCount),
  byCategory30d: z.record(z.string(), windowCount),
});

export function countersOf(row: CountersRow): z.input<typeof countersView> {
  const pick = (byKey: Record<string, { reports: number; distinctReporters: number }>) =>
    Object.fromEntries(
      Object.entries(byKey)
        .filter(([, c]) => c.reports > 0)
        .map(([k, c]) => [k, { reports: c.reports, distinctReporters: c.distinctReporters }]),
    );
  return {
    numberType: recognised(NUMBER_TYPES, row.number_type),
    carrier: recognisedOrNull(CARRIERS, row.carrier),
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
  channel: storedEnum(CHANNELS),
  shortCode: z.string().nullable(),
  agentId: z.string().nullable().describe('the hotline agent who entered the report; null for an SMS'),
  kind: storedEnum(REPORT_KINDS),
  category: storedEnum(CATEGORIES),
  content: z.string().nullable(),
  receivedAt: time,
  weighted: z.boolean().describe('false: from a reporter marked suspicious, counted but without weight'),
});

export function reportOf(row: ReportViewRow, unmasked: boolean): z.input<typeof reportView> {
  return {
    reportId: row.report_id,
    reporter: unmasked ? row.reporter : maskNumber(row.reporter),
    channel: recognised(CHANNELS, row.channel),
    shortCode: row.short_code,
    agentId: row.agent_id,
    kind: recognised(REPORT_KINDS, row.kind),
    category: recognised(CATEGORIES, row.category),
    content: row.content,
    receivedAt: row.received_at.toISOString(),
    weighted: row.weighted,
  };
}

export const historyView = z.object({
  sequence: z.number().int(),
  change: storedEnum(FLAG_CHANGES),
  fromStatus: storedEnum(FLAG_STATUSES).nullable(),
  toStatus: storedEnum(FLAG_STATUSES),
  severity: storedEnum(SEVERITIES),
  ruleId: z.string(),
  ruleVersion: z.number().int(),
  recommendedAction: storedEnum(FLAG_RECOMMENDATIONS),
  takenAction: storedEnum(TAKEN_ACTIONS).nullable(),
  possiblyCoordinated: z.boolean(),
  actor: z.string(),
  note: z.string().nullable(),
  eventId: z.string().nullable(),
  occurredAt: time,
});

export function historyOf(row: HistoryRow): z.input<typeof historyView> {
  return {
    sequence: row.sequence,
    change: recognised(FLAG_CHANGES, row.change),
    fromStatus: recognisedOrNull(FLAG_STATUSES, row.from_status),
    toStatus: recognised(FLAG_STATUSES, row.to_status),
    severity: recognised(SEVERITIES, row.severity),
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    recommendedAction: recognised(FLAG_RECOMMENDATIONS, row.recommended_action),
    takenAction: recognisedOrNull(TAKEN_ACTIONS, row.taken_action),
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
    cap: z
      .object({
        severity: z.enum(SEVERITIES),
        reason: z.enum(['single_agent']),
        agentId: z.string(),
        explanation: z.string(),
      })
      .nullable()
      .optional()
      .describe(
        "set when the flag got less than the rule's severity: one agent entered every report behind it",
      ),
  })
  .nullable();

export const sourcesView = z
  .object({
    smsReporters: z.number().int().describe('distinct reporters who sent their report by SMS'),
    agents: z
      .array(z.object({ agentId: z.string(), reports: z.number().int() }))
      .describe('each hotline agent who entered reports, with how many'),
    singleSource: z
      .string()
      .nullable()
      .describe('set when one agent entered every report: why the flag cannot rise above low'),
  })
  .describe('who stands behind the reports that count towards the flag (weighted, after its floor, 30 days)');

export function sourcesOf(rows: readonly SourceRow[]): z.input<typeof sourcesView> {
  const sources: FlagSources = {
    smsReporters: rows.find((row) => row.agent_id === null)?.reporters ?? 0,
    agents: rows.flatMap((row) =>
      row.agent_id === null ? [] : [{ agentId: row.agent_id, reports: row.reports }],
    ),
  };
  return { ...sources, agents: [...sources.agents], singleSource: singleSourceExplanation(sources) };
}

export { iso };
