/**
 * A what-if over stored reports without loading them all (decision 0060): the source says which
 * numbers were reported in the period and how many weighted reports each has; only numbers that
 * could reach the lowest enabled threshold of either rule set are replayed, a batch of numbers at
 * a time, each in one pass (replayTimeline). Memory is one batch of timelines and the differences.
 * A batch is bounded by its reports as well as its numbers: sorted by number, a few spammers with
 * thousands of reports each can sit side by side, and one batch of them held 300,000 reports (717 MB
 * in the API in bench/whatif.bench.ts). Few, large batches cost the database less than many small
 * ones: each can be a scan of the period, and 16 batches of 2,000 numbers took three times the
 * database's CPU of 4 batches of 8,000.
 */
import { replayTimeline, type ReplayedFlag } from './replay-timeline';
import { SEVERITIES, severityRank, type Rule, type Severity } from './rules';
import { compareReports, type WindowReport } from './window-counts';
import { differenceOf, type ReplayDifference } from './what-if';

export interface ReplaySource {
  /**
   * How many reports and numbers the period has, and the numbers with at least `leastWeighted`
   * weighted reports (the others cannot fire a rule): a few percent of them, so the hundreds of
   * thousands of numbers reported once or twice never reach the process.
   */
  numbersIn(leastWeighted: number): Promise<{
    reports: number;
    anonymisedReports: number;
    numbers: number;
    reachable: readonly { reportedNumber: string; weightedReports: number }[];
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
    /**
     * Weighted reports per batch (a lower bound of its reports); a number with more is a batch
     * alone. At 100,000 the API peaked at 386 MiB of its 384 MiB limit (deploy/kubernetes/base/
     * api.yaml) in bench/whatif.bench.ts; at 50,000, at 317 MiB for 15% more database CPU.
     */
    reportsPerBatch?: number;
    onBatch?: (replayed: number, of: number) => void;
    /** Its flags are spoofing flags, allowlisted or not (decision 0057). */
    isProtectedOriginator?: (reportedNumber: string) => boolean;
    /** Told each replayed number's flag under the current rules (the campaign view's input). */
    onReplayed?: (reportedNumber: string, current: ReplayedFlag | null) => void;
  } = {},
): Promise<WhatIfRun> {
  const {
    numbersPerBatch = 20_000,
    reportsPerBatch = 50_000,
    onBatch = () => {},
    isProtectedOriginator = () => false,
    onReplayed,
  } = options;
  const least = lowestThreshold(rules.current, rules.candidate);
  const { reports, anonymisedReports, numbers, reachable } = await source.numbersIn(least);
  const replayable = reachable
    .filter(
      (n) =>
        n.weightedReports >= least &&
        (!isAllowlisted(n.reportedNumber) || isProtectedOriginator(n.reportedNumber)),
    )
    .sort((a, b) => (a.reportedNumber < b.reportedNumber ? -1 : a.reportedNumber > b.reportedNumber ? 1 : 0));
  const replayed = replayable.map((n) => n.reportedNumber);
  const run: WhatIfRun = {
    reports,
    numbers,
    numbersReplayed: replayed.length,
    anonymisedReports,
    current: noFlags(),
    candidate: noFlags(),
    differences: [],
  };
  let done = 0;
  // Told once before the first batch, so a display knows the total from the start.
  onBatch(done, replayed.length);
  for (const batch of batchesOf(replayable, numbersPerBatch, reportsPerBatch)) {
    const timelines = await source.timelines(batch);
    for (const reportedNumber of batch) {
      const timeline = (timelines.get(reportedNumber) ?? []).sort(compareReports);
      const spoofed = isProtectedOriginator(reportedNumber);
      const before = replayTimeline(reportedNumber, timeline, rules.current, false, spoofed);
      const after = replayTimeline(reportedNumber, timeline, rules.candidate, false, spoofed);
      onReplayed?.(reportedNumber, before);
      if (before) run.current[before.severity] += 1;
      if (after) run.candidate[after.severity] += 1;
      const difference = differenceOf(reportedNumber, before, after);
      if (difference) run.differences.push(difference);
    }
    done += batch.length;
    onBatch(done, replayed.length);
  }
  return run;
}

/** Consecutive runs of numbers, each within both bounds (or one number over the reports bound). */
export function batchesOf(
  numbers: readonly { reportedNumber: string; weightedReports: number }[],
  numbersPerBatch: number,
  reportsPerBatch: number,
): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let reports = 0;
  for (const { reportedNumber, weightedReports } of numbers) {
    if (
      batch.length > 0 &&
      (batch.length >= numbersPerBatch || reports + weightedReports > reportsPerBatch)
    ) {
      batches.push(batch);
      batch = [];
      reports = 0;
    }
    batch.push(reportedNumber);
    reports += weightedReports;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
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
