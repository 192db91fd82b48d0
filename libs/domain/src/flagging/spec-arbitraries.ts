/** fast-check arbitraries shared by the flagging property tests: timelines of reports and rule sets. */
import fc from 'fast-check';
import { CATEGORIES } from '../categories/category-keywords';
import { REPORT_KINDS } from '../report-kind';
import { FLAG_STATUSES, type FlagState } from './flag-state';
import { MEASURES, RECOMMENDED_ACTIONS, SEVERITIES, WINDOWS, type Rule } from './rules';
import { DAY, HOUR, MINUTE, REPORTED, T0 } from './spec-support';
import type { WindowReport } from './window-counts';

const gap = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 10 * MINUTE }),
  fc.integer({ min: 1, max: 6 * HOUR }),
  fc.integer({ min: 1, max: 3 * DAY }),
  fc.integer({ min: 7 * DAY, max: 40 * DAY }),
  // Exactly a window apart: the report before leaves the window at this moment.
  fc.constantFrom(...WINDOWS.map((seconds) => seconds * 1000)),
);

const reportFields = fc.record({
  reporter: fc.integer({ min: 0, max: 11 }).map((index) => `+8498700${String(index).padStart(4, '0')}`),
  // Mostly SMS, some hotline reports from two agents: the cap on single-agent evidence is exercised too.
  agentId: fc.constantFrom(null, null, null, 'alice', 'bob'),
  kind: fc.constantFrom(...REPORT_KINDS),
  category: fc.constantFrom(...CATEGORIES.slice(0, 3)),
  weighted: fc.integer({ min: 0, max: 5 }).map((value) => value > 0),
  gap,
});

/** Reports in timeline order: times never go back, ids grow, some share a millisecond. */
export const reportsInTimelineOrder: fc.Arbitrary<WindowReport[]> = fc
  .array(reportFields, { maxLength: 60 })
  .map((fields) => {
    let receivedAt = T0;
    return fields.map(({ gap: gapMs, ...rest }, index) => {
      receivedAt += gapMs;
      return {
        ...rest,
        reportId: `id-${String(index).padStart(3, '0')}`,
        numberType: 'mobile' as const,
        receivedAt,
      };
    });
  });

const rule: fc.Arbitrary<Rule> = fc.record({
  id: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  version: fc.integer({ min: 1, max: 3 }),
  name: fc.constant('generated'),
  windowSeconds: fc.constantFrom(...WINDOWS),
  measure: fc.constantFrom(...MEASURES),
  kind: fc.option(fc.constantFrom(...REPORT_KINDS)),
  category: fc.option(fc.constantFrom(...CATEGORIES.slice(0, 3))),
  numberType: fc.constant(null),
  threshold: fc.integer({ min: 1, max: 8 }),
  severity: fc.constantFrom(...SEVERITIES),
  action: fc.constantFrom(...RECOMMENDED_ACTIONS),
  enabled: fc.integer({ min: 0, max: 4 }).map((value) => value > 0),
});
export const rules = fc.uniqueArray(rule, { minLength: 1, maxLength: 5, selector: (r) => r.id });

/** No flag, or a flag in any status whose floor lies somewhere in the timeline. */
export const initialFlag: fc.Arbitrary<FlagState | null> = fc
  .option(
    fc.record({
      status: fc.constantFrom(...FLAG_STATUSES),
      severity: fc.constantFrom(...SEVERITIES),
      floorOffset: fc.option(fc.integer({ min: 0, max: 20 * DAY })),
    }),
  )
  .map((generated) =>
    generated === null
      ? null
      : {
          reportedNumber: REPORTED,
          kind: 'abuse' as const,
          status: generated.status,
          severity: generated.severity,
          ruleId: 'x',
          ruleVersion: 1,
          recommendedAction: 'watch',
          takenAction: generated.status === 'actioned' ? 'warn' : null,
          openedAt: T0 - DAY,
          lastChangeAt: T0 - DAY,
          countsReportsAfter: generated.floorOffset === null ? null : T0 + generated.floorOffset,
          assignee: null,
          possiblyCoordinated: false,
          sequence: 7,
        },
  );
