/**
 * The one-pass replay reaches the flag the aggregator's evaluation reaches from no flag and no
 * analyst action, whatever the reports and the rules (caps on single-agent evidence included).
 */
import fc from 'fast-check';
import { evaluateNumber } from './evaluate-number';
import { replayTimeline, type ReplayedFlag } from './replay-timeline';
import type { Rule } from './rules';
import { reportsInTimelineOrder, rules } from './spec-arbitraries';
import { REPORTED } from './spec-support';
import type { WindowReport } from './window-counts';

/** What the what-if replay was before decision 0060: evaluateNumber over the whole timeline. */
function replayedByEvaluation(
  timeline: readonly WindowReport[],
  ruleSet: readonly Rule[],
  standing: { allowlisted: boolean; protectedOriginator: boolean } = {
    allowlisted: false,
    protectedOriginator: false,
  },
): ReplayedFlag | null {
  const { flag, transitions } = evaluateNumber({
    reportedNumber: REPORTED,
    ...standing,
    rules: ruleSet,
    history: [],
    newReports: timeline,
    flag: null,
  });
  if (flag === null) return null;
  return {
    reportedNumber: REPORTED,
    severity: flag.severity,
    ruleId: flag.ruleId,
    ruleVersion: flag.ruleVersion,
    recommendedAction: flag.recommendedAction,
    openedAt: flag.openedAt,
    transitions: transitions.length,
  };
}

describe('replayTimeline', () => {
  it('gives the flag that evaluateNumber gives from scratch, for any timeline and rule set', () => {
    fc.assert(
      fc.property(reportsInTimelineOrder, rules, (timeline, ruleSet) => {
        expect(replayTimeline(REPORTED, timeline, ruleSet, false)).toEqual(
          replayedByEvaluation(timeline, ruleSet),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives the same flag for an allowlisted number, a protected originator, or both (spoofing flags)', () => {
    fc.assert(
      fc.property(reportsInTimelineOrder, rules, fc.boolean(), fc.boolean(), (timeline, ruleSet, a, p) => {
        expect(replayTimeline(REPORTED, timeline, ruleSet, a, p)).toEqual(
          replayedByEvaluation(timeline, ruleSet, { allowlisted: a, protectedOriginator: p }),
        );
      }),
      { numRuns: 1_000 },
    );
  });

  it('gives an allowlisted number no flag, whatever its reports', () => {
    fc.assert(
      fc.property(reportsInTimelineOrder, rules, (timeline, ruleSet) => {
        expect(replayTimeline(REPORTED, timeline, ruleSet, true)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});
