/**
 * Flagging rules are data: a table the abuse team edits. The migration that created it
 * (migrations/1764600000000-Aggregation.ts) seeded it once with its own copy of DEFAULT_RULES
 * below, so changing DEFAULT_RULES changes no database: a rule changes through the API (versioned,
 * audited) or a new migration. libs/persistence/src/seeded-rules.spec.ts keeps the two copies
 * equal; tests and what-if use DEFAULT_RULES as the rules a fresh database starts with. A rule
 * fires for a reported number when its measure over the weighted reports in its window, filtered
 * by kind, category and number type, reaches its threshold.
 */
import type { Category } from '../categories/category-keywords';
import type { NumberType } from '../numbering/vietnam-numbering-plan';
import type { ReportKind } from '../report-kind';

/** Sliding windows in seconds: 1 hour, 24 hours, 7 days, 30 days. */
export const WINDOWS = [3_600, 86_400, 604_800, 2_592_000] as const;
export type WindowSeconds = (typeof WINDOWS)[number];
/** Short names for columns, metrics and screens. */
export const WINDOW_LABELS: Readonly<Record<WindowSeconds, string>> = {
  3_600: '1h',
  86_400: '24h',
  604_800: '7d',
  2_592_000: '30d',
};
/** The longest window: reports older than this before a moment never matter at that moment. */
export const LONGEST_WINDOW_SECONDS: WindowSeconds = 2_592_000;

export const MEASURES = ['distinct_reporters', 'reports'] as const;
export type Measure = (typeof MEASURES)[number];

/** Weakest first. */
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** An escalation ladder, mildest first, as operators practise it: watch, warn, bar outgoing, bar both, end the contract. */
export const RECOMMENDED_ACTIONS = ['watch', 'warn', 'block_outgoing', 'block_both', 'suspend'] as const;
export type RecommendedAction = (typeof RECOMMENDED_ACTIONS)[number];

export interface Rule {
  /** Stable across versions: 'distinct-3-24h'. */
  readonly id: string;
  /** Grows with every edit; a flag records the version that fired. */
  readonly version: number;
  readonly name: string;
  readonly windowSeconds: WindowSeconds;
  readonly measure: Measure;
  /** null or absent: any. */
  readonly kind?: ReportKind | null;
  readonly category?: Category | null;
  readonly numberType?: NumberType | null;
  /** Fires when the measure is at least this. */
  readonly threshold: number;
  readonly severity: Severity;
  readonly action: RecommendedAction;
  readonly enabled: boolean;
}

/**
 * Distinct reporters everywhere, never raw report counts: one reporter texting the same number
 * again and again must not be able to raise a flag alone. Scam-call reports get their own, lower
 * threshold because people report scams far less often than spam, and a scam does more harm.
 */
export const DEFAULT_RULES: readonly Rule[] = [
  {
    id: 'distinct-3-24h',
    version: 1,
    name: '3 distinct reporters in 24 hours: watch',
    windowSeconds: 86_400,
    measure: 'distinct_reporters',
    threshold: 3,
    severity: 'low',
    action: 'watch',
    enabled: true,
  },
  {
    id: 'distinct-10-24h',
    version: 1,
    name: '10 distinct reporters in 24 hours: review and warn',
    windowSeconds: 86_400,
    measure: 'distinct_reporters',
    threshold: 10,
    severity: 'medium',
    action: 'warn',
    enabled: true,
  },
  {
    id: 'distinct-20-7d',
    version: 1,
    name: '20 distinct reporters in 7 days: review and warn',
    windowSeconds: 604_800,
    measure: 'distinct_reporters',
    threshold: 20,
    severity: 'medium',
    action: 'warn',
    enabled: true,
  },
  {
    id: 'distinct-30-24h',
    version: 1,
    name: '30 distinct reporters in 24 hours: one-way block',
    windowSeconds: 86_400,
    measure: 'distinct_reporters',
    threshold: 30,
    severity: 'high',
    action: 'block_outgoing',
    enabled: true,
  },
  {
    id: 'scam-distinct-5-24h',
    version: 1,
    name: '5 distinct scam-call reporters in 24 hours: one-way block',
    windowSeconds: 86_400,
    measure: 'distinct_reporters',
    kind: 'scam_call',
    threshold: 5,
    severity: 'high',
    action: 'block_outgoing',
    enabled: true,
  },
];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * Orders rules strongest first: higher severity, then higher threshold, then id (so that the
 * order, and therefore which rule a flag records, never depends on the order of the table).
 */
export function compareRuleStrength(a: Rule, b: Rule): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    b.threshold - a.threshold ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
