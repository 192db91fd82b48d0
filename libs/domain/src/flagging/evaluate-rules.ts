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

/** What a rule asks of a report whenever it is: weighted, and of the rule's kind, category and type. */
function passesFilters(rule: Rule, report: WindowReport): boolean {
  return (
    report.weighted &&
    (rule.kind == null || rule.kind === report.kind) &&
    (rule.category == null || rule.category === report.category) &&
    (rule.numberType == null || rule.numberType === report.numberType)
  );
}

function countsTowards(rule: Rule, report: WindowReport, at: number): boolean {
  return isInWindow(report.receivedAt, at, rule.windowSeconds) && passesFilters(rule, report);
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

/** One rule's window over a timeline: the reports in timeline[lo] to timeline[hi - 1] it counts. */
interface SlidingWindow {
  readonly rule: Rule;
  lo: number;
  hi: number;
  /** Reports counted. */
  reports: number;
  /**
   * For a distinct-reporters rule, how many of them each reporter has: one reporter held apart,
   * the others in a map made for a second (most numbers' windows hold one reporter or none).
   */
  single: string | null;
  singleReports: number;
  others: Map<string, number> | null;
}

/**
 * matchingRulesIn at successive moments of one timeline in time order, each moment no earlier
 * than the one before: a rule's window gains the reports up to the moment and loses those it
 * slid past, so a moment costs what changed, not the whole reach times the rules (a busy number
 * brings dozens of new moments a batch, over hundreds of reports).
 */
export class SlidingRuleMatches {
  private readonly windows: SlidingWindow[];
  private from = 0;

  constructor(
    rules: readonly Rule[],
    private readonly timeline: readonly WindowReport[],
  ) {
    this.windows = rules
      .filter((rule) => rule.enabled)
      .map((rule) => ({ rule, lo: 0, hi: 0, reports: 0, single: null, singleReports: 0, others: null }));
  }

  /**
   * matchingRulesIn(rules, timeline, from, moment + 1, timeline[moment].receivedAt). `from` may
   * grow between calls; when it goes back (a flag's floor moved back), windows are counted anew.
   */
  matchesAt(from: number, moment: number): RuleMatch[] {
    const at = this.timeline[moment].receivedAt;
    // Windows only slide forward: a start or a moment further back is counted anew.
    const restart = from < this.from;
    this.from = from;
    const matches: RuleMatch[] = [];
    for (const window of this.windows) {
      if (restart || window.hi > moment + 1) this.restart(window);
      this.slide(window, from, moment, at);
      const measured =
        window.rule.measure === 'reports'
          ? window.reports
          : (window.single === null ? 0 : 1) + (window.others?.size ?? 0);
      if (measured >= window.rule.threshold) matches.push({ rule: window.rule, measured });
    }
    return matches.sort((a, b) => compareRuleStrength(a.rule, b.rule));
  }

  private restart(window: SlidingWindow): void {
    window.lo = 0;
    window.hi = 0;
    window.reports = 0;
    window.single = null;
    window.singleReports = 0;
    window.others?.clear();
  }

  private slide(window: SlidingWindow, from: number, moment: number, at: number): void {
    const { rule } = window;
    // In time order, the reports up to the moment are at or before it: isInWindow's other half.
    const start = at - rule.windowSeconds * 1000;
    const timeline = this.timeline;
    let lo = Math.max(window.lo, from);
    // Out of the window from the front: left behind the window's start or the range's.
    for (let i = window.lo; i < Math.min(lo, window.hi); i += 1) this.remove(window, timeline[i]);
    while (lo <= moment && !(timeline[lo].receivedAt > start)) {
      if (lo < window.hi) this.remove(window, timeline[lo]);
      lo += 1;
    }
    for (let i = Math.max(window.hi, lo); i <= moment; i += 1) this.add(window, timeline[i]);
    window.lo = lo;
    window.hi = moment + 1;
  }

  private add(window: SlidingWindow, report: WindowReport): void {
    if (!passesFilters(window.rule, report)) return;
    window.reports += 1;
    if (window.rule.measure === 'reports') return;
    const { reporter } = report;
    if (reporter === window.single) {
      window.singleReports += 1;
    } else if (window.single === null && !(window.others?.has(reporter) ?? false)) {
      window.single = reporter;
      window.singleReports = 1;
    } else {
      const others = (window.others ??= new Map<string, number>());
      others.set(reporter, (others.get(reporter) ?? 0) + 1);
    }
  }

  private remove(window: SlidingWindow, report: WindowReport): void {
    if (!passesFilters(window.rule, report)) return;
    window.reports -= 1;
    if (window.rule.measure === 'reports') return;
    const { reporter } = report;
    if (reporter === window.single) {
      window.singleReports -= 1;
      if (window.singleReports === 0) window.single = null;
      return;
    }
    if (window.others === null) return;
    const left = (window.others.get(reporter) ?? 0) - 1;
    if (left > 0) window.others.set(reporter, left);
    else window.others.delete(reporter);
  }
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
