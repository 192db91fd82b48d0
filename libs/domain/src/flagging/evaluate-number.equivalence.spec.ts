/**
 * evaluateNumber as it was before it measured rules over ranges of the timeline and skipped the
 * moments that change nothing: the same flags, transitions, counts and fresh reports, from any
 * flag, any history and any rules.
 */
import fc from 'fast-check';
import { reportsBehind, reportsCountingTowards, type RuleMatch } from './evaluate-rules';
import { evaluateNumber, type EvaluateNumberInput, type EvaluateNumberResult } from './evaluate-number';
import { applyRuleFiring, changeOnRuleFiring, type FlagTransition } from './flag-state';
import { flagKindOf } from './flag-kind';
import { cappedRule, severityCapFor, type SeverityCap } from './independent-sources';
import { compareRuleStrength, LONGEST_WINDOW_SECONDS, severityRank, type Rule } from './rules';
import { initialFlag, reportsInTimelineOrder, rules } from './spec-arbitraries';
import { REPORTED } from './spec-support';
import { compareReports, countWindows, type WindowReport } from './window-counts';

/** matchingRules as it was: a list of the reports each rule counts, and a set of their reporters. */
function matchingRulesBefore(
  rules: readonly Rule[],
  reports: readonly WindowReport[],
  at: number,
): RuleMatch[] {
  const matches: RuleMatch[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const counted = reportsCountingTowards(rule, reports, at);
    const measured =
      rule.measure === 'reports' ? counted.length : new Set(counted.map((r) => r.reporter)).size;
    if (measured >= rule.threshold) matches.push({ rule, measured });
  }
  return matches.sort((a, b) => compareRuleStrength(a.rule, b.rule));
}

function timelineOf(
  history: readonly WindowReport[],
  newReports: readonly WindowReport[],
): { timeline: WindowReport[]; fresh: WindowReport[] } {
  // Most numbers of a batch have no stored report and one new one: nothing to sort or skip.
  if (history.length === 0 && newReports.length === 1)
    return { timeline: [newReports[0]], fresh: [newReports[0]] };
  // The new reports history already holds, found by the new ids (a few) rather than by a set of
  // all of history (hundreds for a busy number, every batch).
  const newIds = new Set(newReports.map((report) => report.reportId));
  const known = new Set<string>();
  for (const report of history) if (newIds.has(report.reportId)) known.add(report.reportId);
  const fresh: WindowReport[] = [];
  for (const report of [...newReports].sort(compareReports)) {
    if (known.has(report.reportId)) continue;
    known.add(report.reportId);
    fresh.push(report);
  }
  return { timeline: inTimelineOrder(history, fresh), fresh };
}

/**
 * History and fresh reports (sorted) as one timeline. History remembered in memory is sorted and
 * the new reports usually come after it: then nothing needs sorting.
 */
function inTimelineOrder(history: readonly WindowReport[], fresh: readonly WindowReport[]): WindowReport[] {
  const last = history.length - 1;
  let sorted = last < 0 || fresh.length === 0 || compareReports(history[last], fresh[0]) < 0;
  for (let i = 1; sorted && i <= last; i += 1) sorted = compareReports(history[i - 1], history[i]) <= 0;
  return sorted ? history.concat(fresh) : [...history, ...fresh].sort(compareReports);
}

function longestEnabledWindowMs(rules: readonly Rule[]): number {
  return Math.max(0, ...rules.filter((rule) => rule.enabled).map((rule) => rule.windowSeconds * 1000));
}

interface Firing {
  readonly match: RuleMatch;
  /** The rule as it acts: capped when one agent entered every report behind it. */
  readonly rule: Rule;
  readonly cap: SeverityCap | null;
}

/**
 * The matching rule that may do the most once caps apply: a capped strong rule loses to a weaker
 * rule that a second source stands behind.
 */
function strongestFiring(
  rules: readonly Rule[],
  counted: readonly WindowReport[],
  at: number,
): Firing | null {
  let best: Firing | null = null;
  for (const match of matchingRulesBefore(rules, counted, at)) {
    const cap = severityCapFor(match.rule, reportsCountingTowards(match.rule, counted, at));
    const rule = cappedRule(match.rule, cap);
    if (best === null || severityRank(rule.severity) > severityRank(best.rule.severity))
      best = { match, rule, cap };
  }
  return best;
}

function evaluateNumberBefore(input: EvaluateNumberInput): EvaluateNumberResult {
  const { timeline, fresh } = timelineOf(input.history, input.newReports);
  const latest = timeline.at(-1);
  const counts = latest === undefined ? null : countWindows(timeline, latest.receivedAt);
  const freshReportIds = fresh.map((report) => report.reportId);
  let flag = input.flag;
  const transitions: FlagTransition[] = [];
  const protectedOriginator = input.protectedOriginator ?? false;
  if (fresh.length === 0 || (input.allowlisted && !protectedOriginator))
    return { flag, transitions, counts, freshReportIds };
  const kind = flagKindOf(protectedOriginator);

  const reachMs = longestEnabledWindowMs(input.rules);
  const firstMoment = timeline.findIndex((report) => compareReports(report, fresh[0]) >= 0);
  let windowStart = 0;
  for (let moment = firstMoment; moment < timeline.length; moment++) {
    const at = timeline[moment].receivedAt;
    while (windowStart < moment && timeline[windowStart].receivedAt <= at - reachMs) windowStart++;
    const floor = flag?.countsReportsAfter ?? null;
    const inReach = timeline.slice(windowStart, moment + 1);
    const counted = floor === null ? inReach : inReach.filter((report) => report.receivedAt > floor);
    const firing = strongestFiring(input.rules, counted, at);
    if (firing === null || changeOnRuleFiring(flag, firing.rule.severity) === null) continue;
    const { match: strongest, rule, cap } = firing;

    const behind = reportsBehind(strongest.rule, counted, at);
    const transition = applyRuleFiring(input.reportedNumber, flag, {
      rule,
      at,
      kind,
      evidence: {
        ruleId: strongest.rule.id,
        ruleVersion: strongest.rule.version,
        measured: strongest.measured,
        threshold: strongest.rule.threshold,
        counts: countWindows(timeline.slice(0, moment + 1), at),
        reportIds: behind.reportIds,
        reportsBehind: behind.total,
        cap,
      },
    });
    if (transition === null) continue;
    transitions.push(transition);
    flag = transition.state;
  }
  return { flag, transitions, counts, freshReportIds };
}

describe('evaluateNumber (against the evaluation before ranges)', () => {
  it('gives what it gave, from any flag, history and rules, late reports included', () => {
    const input = fc.record({
      reports: reportsInTimelineOrder,
      // Which reports are stored already: a new report may sort before stored ones (a late one).
      stored: fc.array(fc.boolean(), { minLength: 1 }),
      rules,
      flag: initialFlag,
      // A floor exactly at a report's time: that report no longer counts.
      floorAtReport: fc.option(fc.nat()),
      allowlisted: fc.integer({ min: 0, max: 5 }).map((value) => value === 0),
      protectedOriginator: fc.boolean(),
      shuffleHistory: fc.boolean(),
    });
    fc.assert(
      fc.property(input, (generated) => {
        const { reports, stored, floorAtReport, shuffleHistory } = generated;
        const isStored = (index: number) => stored[index % stored.length];
        const newReports = reports.filter((_, index) => !isStored(index)).reverse();
        const earliest = Math.min(...newReports.map((r) => r.receivedAt));
        let history = reports.filter(
          (r, index) => isStored(index) && r.receivedAt > earliest - LONGEST_WINDOW_SECONDS * 1000,
        );
        if (shuffleHistory) history = [...history].reverse();
        let flag = generated.flag;
        if (flag !== null && floorAtReport !== null && reports.length > 0)
          flag = { ...flag, countsReportsAfter: reports[floorAtReport % reports.length].receivedAt };
        const given = {
          reportedNumber: REPORTED,
          allowlisted: generated.allowlisted,
          protectedOriginator: generated.protectedOriginator,
          rules: generated.rules,
          history,
          newReports,
          flag,
        };
        expect(evaluateNumber(given)).toEqual(evaluateNumberBefore(given));
      }),
      { numRuns: 3_000 },
    );
  });
});
