/**
 * The what-if replay of one number in one pass (decision 0060). evaluateNumber, which the
 * aggregator runs, recounts every window at every report: right for a batch of new reports, but
 * quadratic over a number's whole timeline, which is what a replay of thirty days asks. Here each
 * enabled rule keeps its window as it slides (a report enters once and leaves once), so a
 * timeline of n reports costs O(n x rules). The outcome is the one evaluateNumber reaches from no
 * flag and no analyst action (replay-timeline.property.spec.ts holds the two equal): the flag
 * opens at the first moment a rule fires and is raised each time a stronger one fires, with the
 * single-agent cap applied as the aggregator applies it.
 */
import { flagKindOf, INVESTIGATE_ORIGIN, recommendationFor, type FlagRecommendation } from './flag-kind';
import { cappedRule, severityCapFor } from './independent-sources';
import { strongerAction } from './ladder';
import { compareRuleStrength, severityRank, type Rule, type Severity } from './rules';
import type { WindowReport } from './window-counts';

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

const HIGHEST_RANK = severityRank('high');

function counts(rule: Rule, report: WindowReport): boolean {
  return (
    report.weighted &&
    (rule.kind == null || rule.kind === report.kind) &&
    (rule.category == null || rule.category === report.category) &&
    (rule.numberType == null || rule.numberType === report.numberType)
  );
}

/** One rule's sliding window over the timeline: the reports in it that count towards the rule. */
class RuleWindow {
  /** Index of the oldest report of the timeline not yet known to have left the window. */
  private start = 0;
  private size = 0;
  private agentReports = 0;
  private readonly byReporter = new Map<string, number>();
  private readonly windowMs: number;

  constructor(
    readonly rule: Rule,
    private readonly timeline: readonly WindowReport[],
  ) {
    this.windowMs = rule.windowSeconds * 1000;
  }

  /** Moves the window to the moment of report `moment`: it enters, what is W old leaves. */
  advance(moment: number): void {
    const report = this.timeline[moment];
    if (counts(this.rule, report)) this.enter(report);
    const oldest = report.receivedAt - this.windowMs;
    while (this.start < moment && this.timeline[this.start].receivedAt <= oldest) {
      const leaving = this.timeline[this.start];
      if (counts(this.rule, leaving)) this.leave(leaving);
      this.start += 1;
    }
  }

  get measured(): number {
    return this.rule.measure === 'reports' ? this.size : this.byReporter.size;
  }

  /** The rule as it acts at this moment: capped when it leans on one hotline agent. */
  acting(moment: number): Rule {
    // No hotline report in the window: no agent to lean on, nothing to cap (the common case).
    if (this.agentReports === 0) return this.rule;
    const behind: WindowReport[] = [];
    for (let i = this.start; i <= moment; i++)
      if (counts(this.rule, this.timeline[i])) behind.push(this.timeline[i]);
    return cappedRule(this.rule, severityCapFor(this.rule, behind));
  }

  private enter(report: WindowReport): void {
    this.size += 1;
    if (report.agentId !== null) this.agentReports += 1;
    this.byReporter.set(report.reporter, (this.byReporter.get(report.reporter) ?? 0) + 1);
  }

  private leave(report: WindowReport): void {
    this.size -= 1;
    if (report.agentId !== null) this.agentReports -= 1;
    const left = (this.byReporter.get(report.reporter) ?? 1) - 1;
    if (left === 0) this.byReporter.delete(report.reporter);
    else this.byReporter.set(report.reporter, left);
  }
}

/**
 * The flag a number's reports give it from scratch, or null. `timeline` must be in timeline order
 * (compareReports: received time, then report id), as the replay's query sorts it. A protected
 * originator's flag is a spoofing flag, recommending to investigate the origin, even when the
 * number is also allowlisted (decision 0057).
 */
export function replayTimeline(
  reportedNumber: string,
  timeline: readonly WindowReport[],
  rules: readonly Rule[],
  allowlisted: boolean,
  protectedOriginator = false,
): ReplayedFlag | null {
  if ((allowlisted && !protectedOriginator) || timeline.length === 0) return null;
  const kind = flagKindOf(protectedOriginator);
  // Strongest first, as matchingRules orders them: on equal capped severity the first one wins.
  const windows = rules
    .filter((rule) => rule.enabled)
    .sort(compareRuleStrength)
    .map((rule) => new RuleWindow(rule, timeline));
  let flag: ReplayedFlag | null = null;
  let rank = -1;
  for (let moment = 0; moment < timeline.length; moment++) {
    let best: Rule | null = null;
    for (const window of windows) {
      window.advance(moment);
      // A rule no stronger than the flag cannot change it, capped or not.
      if (severityRank(window.rule.severity) <= rank || window.measured < window.rule.threshold) continue;
      const acting = window.acting(moment);
      if (best === null || severityRank(acting.severity) > severityRank(best.severity)) best = acting;
    }
    if (best === null || severityRank(best.severity) <= rank) continue;
    const fromRule = { severity: best.severity, ruleId: best.id, ruleVersion: best.version };
    flag =
      flag === null
        ? {
            reportedNumber,
            ...fromRule,
            recommendedAction: recommendationFor(kind, best.action),
            openedAt: timeline[moment].receivedAt,
            transitions: 1,
          }
        : {
            reportedNumber,
            ...fromRule,
            // Raising never lowers what is recommended.
            recommendedAction:
              flag.recommendedAction === INVESTIGATE_ORIGIN
                ? recommendationFor(kind, best.action)
                : recommendationFor(kind, strongerAction(best.action, flag.recommendedAction)),
            openedAt: flag.openedAt,
            transitions: flag.transitions + 1,
          };
    rank = severityRank(best.severity);
    if (rank === HIGHEST_RANK) break;
  }
  return flag;
}
