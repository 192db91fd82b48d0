/**
 * What-if: replay stored reports through a rule set, as if each number had had no flag and no one
 * had acted, to see what a candidate rule set would have flagged compared with the current one.
 */
import { replayTimeline, type ReplayedFlag } from './replay-timeline';
import { SEVERITIES, type Rule, type Severity } from './rules';
import { compareReports, type WindowReport } from './window-counts';

export type { ReplayedFlag } from './replay-timeline';

export interface ReplayReport extends WindowReport {
  readonly reportedNumber: string;
}

export interface ReplayResult {
  /** By reported number. */
  readonly flags: readonly ReplayedFlag[];
  readonly totals: Readonly<Record<Severity, number>>;
}

export interface ReplayDifference {
  readonly reportedNumber: string;
  readonly before: ReplayedFlag | null;
  readonly after: ReplayedFlag | null;
}

function byNumber(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Replays reports of any numbers, in any order; `onNumber` is told of each number replayed (progress). */
export function replayReports(
  reports: readonly ReplayReport[],
  rules: readonly Rule[],
  isAllowlisted: (reportedNumber: string) => boolean,
  onNumber: () => void = () => {},
  /** Its flags are spoofing flags, recommending investigate_origin (decision 0057). */
  isProtectedOriginator: (reportedNumber: string) => boolean = () => false,
): ReplayResult {
  const reportsByNumber = new Map<string, ReplayReport[]>();
  for (const report of reports) {
    const list = reportsByNumber.get(report.reportedNumber) ?? [];
    list.push(report);
    reportsByNumber.set(report.reportedNumber, list);
  }
  const flags: ReplayedFlag[] = [];
  const totals = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const reportedNumber of [...reportsByNumber.keys()].sort(byNumber)) {
    const timeline = (reportsByNumber.get(reportedNumber) ?? []).sort(compareReports);
    const flag = replayTimeline(
      reportedNumber,
      timeline,
      rules,
      isAllowlisted(reportedNumber),
      isProtectedOriginator(reportedNumber),
    );
    onNumber();
    if (flag === null) continue;
    totals[flag.severity] += 1;
    flags.push(flag);
  }
  return { flags, totals };
}

/**
 * How one number's outcome differs between two replays, or null when it does not: flagged in one
 * only, or with another severity or recommended action. Which rule fired is not compared, since a
 * candidate rule set may rename rules without changing what they do.
 */
export function differenceOf(
  reportedNumber: string,
  before: ReplayedFlag | null,
  after: ReplayedFlag | null,
): ReplayDifference | null {
  if (before === null && after === null) return null;
  const same =
    before !== null &&
    after !== null &&
    before.severity === after.severity &&
    before.recommendedAction === after.recommendedAction;
  return same ? null : { reportedNumber, before, after };
}

/** The numbers whose outcome differs between two replays (see differenceOf), by number. */
export function compareReplays(current: ReplayResult, candidate: ReplayResult): ReplayDifference[] {
  const before = new Map(current.flags.map((flag) => [flag.reportedNumber, flag]));
  const after = new Map(candidate.flags.map((flag) => [flag.reportedNumber, flag]));
  const numbers = [...new Set([...before.keys(), ...after.keys()])].sort(byNumber);
  const differences: ReplayDifference[] = [];
  for (const reportedNumber of numbers) {
    const difference = differenceOf(
      reportedNumber,
      before.get(reportedNumber) ?? null,
      after.get(reportedNumber) ?? null,
    );
    if (difference) differences.push(difference);
  }
  return differences;
}
