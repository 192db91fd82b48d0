/**
 * Which rules fire for one number at one moment. Only weighted reports count towards a threshold:
 * a suspicious reporter's reports are kept and counted, but never raise a flag.
 */
import { compareReports, isInWindow, type WindowReport } from './window-counts';
import { compareRuleStrength, type Rule } from './rules';

export interface RuleMatch {
  readonly rule: Rule;
  /** The rule's measure at that moment (distinct reporters or reports). */
  readonly measured: number;
}

/** How many report ids a flag keeps as its evidence; the total is kept besides. */
export const MAX_REPORTS_BEHIND_A_FLAG = 50;

function countsTowards(rule: Rule, report: WindowReport, at: number): boolean {
  return (
    report.weighted &&
    isInWindow(report.receivedAt, at, rule.windowSeconds) &&
    (rule.kind == null || rule.kind === report.kind) &&
    (rule.category == null || rule.category === report.category) &&
    (rule.numberType == null || rule.numberType === report.numberType)
  );
}

/** The weighted reports in the rule's window at `at` that pass its filters, in the order given. */
export function reportsCountingTowards(
  rule: Rule,
  reports: readonly WindowReport[],
  at: number,
): WindowReport[] {
  return reports.filter((report) => countsTowards(rule, report, at));
}

/**
 * A set of reporters to count with: measures run for every enabled rule at every moment of every
 * number, and run to their end without yielding, so one set serves them all.
 */
const reportersCounted = new Set<string>();

/**
 * measureRule over reports[from] to reports[to - 1], without a list of the reports counted: the
 * aggregator measures every rule at every new report's moment, and most measures fire nothing.
 */
export function measureRuleIn(
  rule: Rule,
  reports: readonly WindowReport[],
  from: number,
  to: number,
  at: number,
): number {
  if (rule.measure === 'reports') {
    let counted = 0;
    for (let i = from; i < to; i += 1) if (countsTowards(rule, reports[i], at)) counted += 1;
    return counted;
  }
  reportersCounted.clear();
  for (let i = from; i < to; i += 1)
    if (countsTowards(rule, reports[i], at)) reportersCounted.add(reports[i].reporter);
  const distinct = reportersCounted.size;
  reportersCounted.clear();
  return distinct;
}

/** The rule's measure over the weighted reports in its window that pass its filters. */
export function measureRule(rule: Rule, reports: readonly WindowReport[], at: number): number {
  return measureRuleIn(rule, reports, 0, reports.length, at);
}

/** matchingRules over reports[from] to reports[to - 1]. */
export function matchingRulesIn(
  rules: readonly Rule[],
  reports: readonly WindowReport[],
  from: number,
  to: number,
  at: number,
): RuleMatch[] {
  const matches: RuleMatch[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const measured = measureRuleIn(rule, reports, from, to, at);
    if (measured >= rule.threshold) matches.push({ rule, measured });
  }
  return matches.sort((a, b) => compareRuleStrength(a.rule, b.rule));
}

/** The enabled rules whose measure reaches their threshold at `at`, strongest first. */
export function matchingRules(
  rules: readonly Rule[],
  reports: readonly WindowReport[],
  at: number,
): RuleMatch[] {
  return matchingRulesIn(rules, reports, 0, reports.length, at);
}

export interface ReportsBehind {
  /** Oldest first; for a distinct-reporters rule, each reporter's first report in the window. */
  readonly reportIds: readonly string[];
  /** How many there are in all; reportIds stops at the limit. */
  readonly total: number;
}

/** The reports that make a rule fire at `at`: the evidence a flag explains itself with. */
export function reportsBehind(
  rule: Rule,
  reports: readonly WindowReport[],
  at: number,
  limit: number = MAX_REPORTS_BEHIND_A_FLAG,
): ReportsBehind {
  const counted = reports.filter((report) => countsTowards(rule, report, at)).sort(compareReports);
  let behind = counted;
  if (rule.measure === 'distinct_reporters') {
    const seen = new Set<string>();
    behind = counted.filter((report) => !seen.has(report.reporter) && seen.add(report.reporter));
  }
  return { reportIds: behind.slice(0, limit).map((report) => report.reportId), total: behind.length };
}
