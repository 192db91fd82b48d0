/**
 * What-if: replay stored reports through a rule set, as if each number had had no flag and no one
 * had acted, to see what a candidate rule set would have flagged compared with the current one.
 */
import { evaluateNumber } from './evaluate-number';
import type { FlagRecommendation } from './flag-kind';
import { SEVERITIES, type Rule, type Severity } from './rules';
import type { WindowReport } from './window-counts';

export interface ReplayReport extends WindowReport {
  readonly reportedNumber: string;
}

/** A number's flag at the end of a replay. */
export interface ReplayedFlag {
  readonly reportedNumber: string;
  readonly severity: Severity;
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly recommendedAction: FlagRecommendation;
  readonly openedAt: number;
  /** Opened plus raised. */
  readonly transitions: number;
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
    const { flag, transitions } = evaluateNumber({
      reportedNumber,
      allowlisted: isAllowlisted(reportedNumber),
      protectedOriginator: isProtectedOriginator(reportedNumber),
      rules,
      history: [],
      newReports: reportsByNumber.get(reportedNumber) ?? [],
      flag: null,
    });
    onNumber();
    if (flag === null) continue;
    totals[flag.severity] += 1;
    flags.push({
      reportedNumber,
      severity: flag.severity,
      ruleId: flag.ruleId,
      ruleVersion: flag.ruleVersion,
      recommendedAction: flag.recommendedAction,
      openedAt: flag.openedAt,
      transitions: transitions.length,
    });
  }
  return { flags, totals };
}

/**
 * The numbers whose outcome differs between two replays: flagged in one only, or with another
 * severity or recommended action. Which rule fired is not compared, since a candidate rule set
 * may rename rules without changing what they do.
 */
export function compareReplays(current: ReplayResult, candidate: ReplayResult): ReplayDifference[] {
  const before = new Map(current.flags.map((flag) => [flag.reportedNumber, flag]));
  const after = new Map(candidate.flags.map((flag) => [flag.reportedNumber, flag]));
  const numbers = [...new Set([...before.keys(), ...after.keys()])].sort(byNumber);
  const differences: ReplayDifference[] = [];
  for (const reportedNumber of numbers) {
    const was = before.get(reportedNumber) ?? null;
    const is = after.get(reportedNumber) ?? null;
    const same =
      was !== null &&
      is !== null &&
      was.severity === is.severity &&
      was.recommendedAction === is.recommendedAction;
    if (!same) differences.push({ reportedNumber, before: was, after: is });
  }
  return differences;
}
