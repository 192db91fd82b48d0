/**
 * The heart of flagging: one reported number, the reports a batch brought for it, and its flag.
 *
 * The reports of a number form one timeline ordered by (receivedAt, reportId). The rules are
 * evaluated at every report of the timeline, at that report's time, over the reports up to and
 * including it. Because each new report is evaluated as if it had come alone, how reports were
 * split into batches (a crash, a rebalance, a replay) does not change the flags or the events, as
 * long as each batch only brings reports later in the timeline than those already stored.
 *
 * A late report (one that sorts before some stored report) is put in its place in the timeline,
 * and every moment from it on is evaluated again with it included. Transitions already made stay
 * made, so the events can differ from a run where the report came in time, but every moment ends
 * up evaluated with every report up to it, so no flag is missed and, without analysts' actions,
 * the final severity is the one a calm, in-time run would reach.
 */
import { reportsBehind, reportsCountingTowards, SlidingRuleMatches, type RuleMatch } from './evaluate-rules';
import { applyRuleFiring, changeOnRuleFiring, type FlagState, type FlagTransition } from './flag-state';
import { cappedRule, severityCapFor, type SeverityCap } from './independent-sources';
import { flagKindOf } from './flag-kind';
import { severityRank, type Rule } from './rules';
import { compareReports, countWindows, type WindowCounts, type WindowReport } from './window-counts';

export interface EvaluateNumberInput {
  /** E.164. */
  readonly reportedNumber: string;
  /**
   * An allowlisted number is counted but never gets a flag opened, raised or reopened, unless it is
   * also a protected originator: a spoofing flag asks for no action against the number, so the
   * allowlist has nothing to protect it from (decision 0057).
   */
  readonly allowlisted: boolean;
  /** A bank's, an authority's or the operator's own number: its flags are 'spoofing' flags. */
  readonly protectedOriginator?: boolean;
  readonly rules: readonly Rule[];
  /**
   * The number's stored reports that can matter: at least all received less than the longest
   * enabled rule window (30 days at most) before the earliest new report, including any stored
   * report received after it.
   */
  readonly history: readonly WindowReport[];
  /** The batch's reports of this number, in any order; ones already in history are ignored. */
  readonly newReports: readonly WindowReport[];
  /** The number's flag as stored, whatever its status; null when it never had one. */
  readonly flag: FlagState | null;
}

export interface EvaluateNumberResult {
  readonly flag: FlagState | null;
  /** In order; each has its history row and, for opened/raised/reopened, its event. */
  readonly transitions: readonly FlagTransition[];
  /** The counters at the time of the latest report known; null when there is no report at all. */
  readonly counts: WindowCounts | null;
  /** New reports not already in history, in timeline order: the ones to count. */
  readonly freshReportIds: readonly string[];
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
  let longest = 0;
  for (const rule of rules) if (rule.enabled) longest = Math.max(longest, rule.windowSeconds * 1000);
  return longest;
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
  matches: readonly RuleMatch[],
  counted: readonly WindowReport[],
  at: number,
): Firing | null {
  let best: Firing | null = null;
  for (const match of matches) {
    const cap = severityCapFor(match.rule, reportsCountingTowards(match.rule, counted, at));
    const rule = cappedRule(match.rule, cap);
    if (best === null || severityRank(rule.severity) > severityRank(best.rule.severity))
      best = { match, rule, cap };
  }
  return best;
}

export function evaluateNumber(input: EvaluateNumberInput): EvaluateNumberResult {
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
  const sliding = new SlidingRuleMatches(input.rules, timeline);
  for (let moment = firstMoment; moment < timeline.length; moment++) {
    const at = timeline[moment].receivedAt;
    while (windowStart < moment && timeline[windowStart].receivedAt <= at - reachMs) windowStart++;
    // The timeline is in time order: the reports after the flag's floor are the reach's last.
    const floor = flag?.countsReportsAfter ?? null;
    let from = windowStart;
    if (floor !== null) while (from <= moment && timeline[from].receivedAt <= floor) from++;
    // Most moments change nothing (the flag already stands where the rules put it): seen before
    // any list of reports is made. A cap only lowers a rule's severity, so when the strongest
    // match changes nothing uncapped, no match changes anything capped.
    const matches = sliding.matchesAt(from, moment);
    if (matches.length === 0 || changeOnRuleFiring(flag, matches[0].rule.severity) === null) continue;
    const counted = timeline.slice(from, moment + 1);
    const firing = strongestFiring(matches, counted, at);
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
