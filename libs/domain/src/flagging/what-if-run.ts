/**
 * A what-if over stored reports without loading them all (decision 0060): the source says which
 * numbers were reported in the period and how many weighted reports each has; only numbers that
 * could reach the lowest enabled threshold of either rule set are replayed, a batch of numbers at
 * a time, each in one pass (replayTimeline). Memory is one batch of timelines and the differences.
 */
import { replayTimeline } from './replay-timeline';
import { SEVERITIES, severityRank, type Rule, type Severity } from './rules';
import { compareReports, type WindowReport } from './window-counts';
import { differenceOf, type ReplayDifference } from './what-if';

export interface ReplaySource {
  numbersIn(): Promise<{
    reports: number;
    anonymisedReports: number;
    numbers: readonly { reportedNumber: string; weightedReports: number }[];
  }>;
  /** Timelines of these numbers, in any order within each. */
  timelines(numbers: readonly string[]): Promise<Map<string, WindowReport[]>>;
}

export interface WhatIfRun {
  reports: number;
  numbers: number;
  /** Numbers with enough weighted reports to reach a threshold: the ones replayed. */
  numbersReplayed: number;
  /** Reports past the retention period: their reporters all read the same, "anonymised". */
  anonymisedReports: number;
  current: Record<Severity, number>;
  candidate: Record<Severity, number>;
  /** By reported number. */
  differences: ReplayDifference[];
}

/** No enabled rule of these fires on fewer weighted reports than this (a distinct reporter is one). */
export function lowestThreshold(...ruleSets: (readonly Rule[])[]): number {
  const thresholds = ruleSets
    .flat()
    .filter((rule) => rule.enabled)
    .map((rule) => rule.threshold);
  return thresholds.length === 0 ? Number.POSITIVE_INFINITY : Math.max(1, Math.min(...thresholds));
}

const noFlags = (): Record<Severity, number> =>
  Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;

export async function runWhatIf(
  source: ReplaySource,
  rules: { current: readonly Rule[]; candidate: readonly Rule[] },
  isAllowlisted: (reportedNumber: string) => boolean,
  options: {
    numbersPerBatch?: number;
    onBatch?: (replayed: number, of: number) => void;
    /** Its flags are spoofing flags, allowlisted or not (decision 0057). */
    isProtectedOriginator?: (reportedNumber: string) => boolean;
  } = {},
): Promise<WhatIfRun> {
  const { numbersPerBatch = 2_000, onBatch = () => {}, isProtectedOriginator = () => false } = options;
  const { reports, anonymisedReports, numbers } = await source.numbersIn();
  const least = lowestThreshold(rules.current, rules.candidate);
  const replayed = numbers
    .filter(
      (n) =>
        n.weightedReports >= least &&
        (!isAllowlisted(n.reportedNumber) || isProtectedOriginator(n.reportedNumber)),
    )
    .map((n) => n.reportedNumber)
    .sort();
  const run: WhatIfRun = {
    reports,
    numbers: numbers.length,
    numbersReplayed: replayed.length,
    anonymisedReports,
    current: noFlags(),
    candidate: noFlags(),
    differences: [],
  };
  for (let start = 0; start < replayed.length; start += numbersPerBatch) {
    const batch = replayed.slice(start, start + numbersPerBatch);
    const timelines = await source.timelines(batch);
    for (const reportedNumber of batch) {
      const timeline = (timelines.get(reportedNumber) ?? []).sort(compareReports);
      const spoofed = isProtectedOriginator(reportedNumber);
      const before = replayTimeline(reportedNumber, timeline, rules.current, false, spoofed);
      const after = replayTimeline(reportedNumber, timeline, rules.candidate, false, spoofed);
      if (before) run.current[before.severity] += 1;
      if (after) run.candidate[after.severity] += 1;
      const difference = differenceOf(reportedNumber, before, after);
      if (difference) run.differences.push(difference);
    }
    onBatch(Math.min(start + numbersPerBatch, replayed.length), replayed.length);
  }
  return run;
}

export const CHANGE_KINDS = ['opened', 'closed', 'raised', 'lowered', 'actionChanged'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What a rule change would do to one number's flag. */
export function changeKindOf(difference: ReplayDifference): ChangeKind {
  const { before, after } = difference;
  if (before === null) return 'opened';
  if (after === null) return 'closed';
  const step = severityRank(after.severity) - severityRank(before.severity);
  return step > 0 ? 'raised' : step < 0 ? 'lowered' : 'actionChanged';
}

export interface WhatIfChanges {
  counts: Record<ChangeKind, number>;
  /** The first few of each kind, by number. */
  examples: Record<ChangeKind, ReplayDifference[]>;
}

/** The differences by kind, for a person: how many of each, and a few to look at. */
export function summariseChanges(
  differences: readonly ReplayDifference[],
  examplesPerKind: number,
): WhatIfChanges {
  const counts = Object.fromEntries(CHANGE_KINDS.map((kind) => [kind, 0])) as Record<ChangeKind, number>;
  const examples = Object.fromEntries(CHANGE_KINDS.map((kind) => [kind, []])) as unknown as Record<
    ChangeKind,
    ReplayDifference[]
  >;
  for (const difference of differences) {
    const kind = changeKindOf(difference);
    counts[kind] += 1;
    if (examples[kind].length < examplesPerKind) examples[kind].push(difference);
  }
  return { counts, examples };
}
