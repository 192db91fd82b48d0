/**
 * SlidingRuleMatches gives, moment after moment, what matchingRulesIn gives over the same range,
 * however the range's start moves (a flag's floor moving on, or back).
 */
import fc from 'fast-check';
import { matchingRulesIn, SlidingRuleMatches } from './evaluate-rules';
import { reportsInTimelineOrder, rules } from './spec-arbitraries';

describe('SlidingRuleMatches (properties)', () => {
  it('matches what matchingRulesIn matches over the same range, call after call', () => {
    const input = fc
      .record({ timeline: reportsInTimelineOrder.filter((reports) => reports.length > 0), rules })
      .chain(({ timeline, rules: ruleSet }) =>
        fc.record({
          timeline: fc.constant(timeline),
          rules: fc.constant(ruleSet),
          // Mostly later moments and later starts, as evaluateNumber asks; sometimes not.
          calls: fc.array(
            fc.record({
              moment: fc.integer({ min: 0, max: timeline.length - 1 }),
              from: fc.integer({ min: 0, max: timeline.length }),
            }),
            { minLength: 1, maxLength: 20 },
          ),
          ordered: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(input, ({ timeline, rules: ruleSet, calls, ordered }) => {
        const asked = ordered ? [...calls].sort((a, b) => a.moment - b.moment || a.from - b.from) : calls;
        const sliding = new SlidingRuleMatches(ruleSet, timeline);
        let lastFrom = 0;
        for (const call of asked) {
          // Ordered: starts that never go back, as long as the flag's floor stays.
          const from = ordered ? Math.max(lastFrom, Math.min(call.from, call.moment + 1)) : call.from;
          lastFrom = from;
          const at = timeline[call.moment].receivedAt;
          expect(sliding.matchesAt(from, call.moment)).toEqual(
            matchingRulesIn(ruleSet, timeline, from, call.moment + 1, at),
          );
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
