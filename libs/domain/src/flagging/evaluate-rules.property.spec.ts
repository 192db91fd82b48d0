/**
 * SlidingRuleMatches gives, moment after moment, what matchingRulesIn gives over the same range,
 * however the range's start moves (a flag's floor moving on, or back).
 */
import fc from 'fast-check';
import { matchingRulesIn, SlidingRuleMatches } from './evaluate-rules';
import { REPORT_KINDS } from '../report-kind';
import { WINDOWS, type Rule } from './rules';
import { reportsInTimelineOrder, rules } from './spec-arbitraries';
import { HOUR, MINUTE, T0 } from './spec-support';
import type { WindowReport } from './window-counts';

/** Few reporters, reporting again and again as windows slide past them. */
const crowdedTimeline: fc.Arbitrary<WindowReport[]> = fc
  .array(
    fc.record({
      reporter: fc.constantFrom('+84987000001', '+84987000002', '+84987000003'),
      kind: fc.constantFrom(...REPORT_KINDS),
      weighted: fc.integer({ min: 0, max: 5 }).map((value) => value > 0),
      gap: fc.oneof(
        fc.constantFrom(0, 10 * MINUTE, 30 * MINUTE, 2 * HOUR),
        fc.constantFrom(...WINDOWS.map((seconds) => seconds * 1000)),
      ),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((fields) => {
    let receivedAt = T0;
    return fields.map(({ gap, ...rest }, index) => {
      receivedAt += gap;
      return {
        ...rest,
        reportId: `id-${String(index).padStart(3, '0')}`,
        agentId: null,
        category: 'unknown' as const,
        numberType: 'mobile' as const,
        receivedAt,
      };
    });
  });

/** Low thresholds over the shortest window: reporters enter and leave it within a few reports. */
const hourRules: Rule[] = (['distinct_reporters', 'reports'] as const).map((measure) => ({
  id: `${measure}-2-1h`,
  version: 1,
  name: 'generated',
  windowSeconds: 3_600,
  measure,
  threshold: 2,
  severity: 'low',
  action: 'watch',
  enabled: true,
}));

describe('SlidingRuleMatches (properties)', () => {
  it('matches what matchingRulesIn matches over the same range, call after call', () => {
    const input = fc
      .record({
        timeline: fc.oneof(
          reportsInTimelineOrder.filter((reports) => reports.length > 0),
          crowdedTimeline,
        ),
        rules: fc.oneof(rules, fc.constant(hourRules)),
      })
      .chain(({ timeline, rules: ruleSet }) =>
        fc.record({
          timeline: fc.constant(timeline),
          rules: fc.constant(ruleSet),
          // Mostly later moments and later starts, as evaluateNumber asks; sometimes not.
          calls: fc.array(
            fc.record({
              moment: fc.integer({ min: 0, max: timeline.length - 1 }),
              // Mostly the whole timeline, so windows slide by time rather than by their start.
              from: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: timeline.length })),
            }),
            { minLength: 1, maxLength: 20 },
          ),
          ordered: fc.boolean(),
          // As evaluateNumber asks: every moment in turn over the whole timeline.
          everyMoment: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(input, ({ timeline, rules: ruleSet, calls, ordered, everyMoment }) => {
        const asked = everyMoment
          ? timeline.map((_, moment) => ({ moment, from: 0 }))
          : ordered
            ? [...calls].sort((a, b) => a.moment - b.moment || a.from - b.from)
            : calls;
        const sliding = new SlidingRuleMatches(ruleSet, timeline);
        let lastFrom = 0;
        for (const call of asked) {
          // Ordered: starts that never go back, as long as the flag's floor stays.
          const from =
            ordered || everyMoment ? Math.max(lastFrom, Math.min(call.from, call.moment + 1)) : call.from;
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
