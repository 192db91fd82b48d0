import fc from 'fast-check';
import { CATEGORIES } from '../categories/category-keywords';
import { REPORT_KINDS } from '../report-kind';
import { LONGEST_WINDOW_SECONDS, WINDOWS } from './rules';
import { reportsInTimelineOrder } from './spec-arbitraries';
import { aReport, DAY, HOUR, reportsFromDistinctReporters, T0 } from './spec-support';
import { compareReports, countWindows, isInWindow, type WindowReport } from './window-counts';

/** The windows' counts as their definition says: a set of reporters for each window. */
function countedPlainly(reports: readonly WindowReport[], at: number) {
  return Object.fromEntries(
    WINDOWS.map((seconds) => {
      const inside = reports.filter((r) => isInWindow(r.receivedAt, at, seconds));
      const weighted = inside.filter((r) => r.weighted);
      return [
        seconds,
        {
          reports: inside.length,
          distinctReporters: new Set(inside.map((r) => r.reporter)).size,
          weightedReports: weighted.length,
          weightedDistinctReporters: new Set(weighted.map((r) => r.reporter)).size,
        },
      ];
    }),
  );
}

/** Everything countWindows gives, as its definition says: filters and sets over the 30 days. */
function everythingCountedPlainly(reports: readonly WindowReport[], at: number) {
  const inside = reports.filter((r) => isInWindow(r.receivedAt, at, LONGEST_WINDOW_SECONDS));
  const byKey = (keys: readonly string[], keyOf: (r: WindowReport) => string) =>
    Object.fromEntries(
      keys.map((key) => {
        const ofKey = inside.filter((r) => keyOf(r) === key);
        return [
          key,
          { reports: ofKey.length, distinctReporters: new Set(ofKey.map((r) => r.reporter)).size },
        ];
      }),
    );
  const times = inside.map((r) => r.receivedAt);
  return {
    at,
    windows: countedPlainly(reports, at),
    last30DaysByKind: byKey(REPORT_KINDS, (r) => r.kind),
    last30DaysByCategory: byKey(CATEGORIES, (r) => r.category),
    firstSeenAt: times.length === 0 ? null : Math.min(...times),
    lastSeenAt: times.length === 0 ? null : Math.max(...times),
  };
}

describe('countWindows', () => {
  it('counts a reporter once per window however often they report', () => {
    const tenTimes = Array.from({ length: 10 }, (_, index) =>
      aReport({ reportId: `same-${index}`, receivedAt: T0 + index * 60_000 }),
    );
    const counts = countWindows(tenTimes, T0 + HOUR - 1);
    expect(counts.windows[3_600]).toEqual({
      reports: 10,
      distinctReporters: 1,
      weightedReports: 10,
      weightedDistinctReporters: 1,
    });
  });

  it('leaves out a report exactly as old as the window and keeps one a millisecond younger', () => {
    const reports = [
      aReport({ reportId: 'a', reporter: '+84987000001', receivedAt: T0 }),
      aReport({ reportId: 'b', reporter: '+84987000002', receivedAt: T0 + 1 }),
    ];
    const counts = countWindows(reports, T0 + HOUR);
    expect(counts.windows[3_600].distinctReporters).toBe(1);
    expect(counts.windows[86_400].distinctReporters).toBe(2);
  });

  it('ignores reports received after the moment counted', () => {
    const reports = reportsFromDistinctReporters(3);
    expect(countWindows(reports, T0 + 60_000).windows[3_600].reports).toBe(2);
  });

  it('counts unweighted reports but not among the weighted ones', () => {
    const reports = [
      ...reportsFromDistinctReporters(2),
      aReport({ reportId: 'x', reporter: '+84987999999', receivedAt: T0 + 5_000, weighted: false }),
    ];
    expect(countWindows(reports, T0 + HOUR - 1).windows[3_600]).toEqual({
      reports: 3,
      distinctReporters: 3,
      weightedReports: 2,
      weightedDistinctReporters: 2,
    });
  });

  it('fills each window and counts kinds, categories, first and last seen over 30 days', () => {
    const at = T0 + 40 * DAY;
    const reports = [
      aReport({ reportId: 'old', receivedAt: at - 35 * DAY }),
      aReport({ reportId: 'd20', reporter: '+84987000002', receivedAt: at - 20 * DAY, kind: 'scam_call' }),
      aReport({ reportId: 'd3', reporter: '+84987000003', receivedAt: at - 3 * DAY, category: 'gambling' }),
      aReport({ reportId: 'h5', reporter: '+84987000004', receivedAt: at - 5 * HOUR, kind: 'spam_sms' }),
      aReport({ reportId: 'now', reporter: '+84987000004', receivedAt: at, kind: 'spam_sms' }),
    ];
    const counts = countWindows(reports, at);
    expect(
      Object.fromEntries(Object.entries(counts.windows).map(([window, count]) => [window, count.reports])),
    ).toEqual({ 3600: 1, 86400: 2, 604800: 3, 2592000: 4 });
    expect(counts.last30DaysByKind).toEqual({
      spam_call: { reports: 1, distinctReporters: 1 },
      spam_sms: { reports: 2, distinctReporters: 1 },
      scam_call: { reports: 1, distinctReporters: 1 },
    });
    expect(counts.last30DaysByCategory.gambling).toEqual({ reports: 1, distinctReporters: 1 });
    expect(counts.last30DaysByCategory.advertising).toEqual({ reports: 3, distinctReporters: 2 });
    expect(counts.last30DaysByCategory.unknown).toEqual({ reports: 0, distinctReporters: 0 });
    expect(counts.firstSeenAt).toBe(at - 20 * DAY);
    expect(counts.lastSeenAt).toBe(at);
  });

  it('counts every window as its definition says, in any order, at any moment', () => {
    const input = reportsInTimelineOrder.chain((reports) =>
      fc.record({
        arrival: fc.shuffledSubarray(reports, { minLength: reports.length, maxLength: reports.length }),
        at: reports.length === 0 ? fc.constant(T0) : fc.constantFrom(...reports.map((r) => r.receivedAt)),
        shift: fc.constantFrom(0, 1, -1, HOUR, 20 * DAY),
      }),
    );
    fc.assert(
      fc.property(input, ({ arrival, at, shift }) => {
        expect(countWindows(arrival, at + shift).windows).toEqual(countedPlainly(arrival, at + shift));
      }),
      { numRuns: 1_000 },
    );
  });

  it('counts kinds, categories and first and last seen as their definition says, call after call', () => {
    const report = fc.record({
      reportId: fc.constantFrom('a', 'b', 'c'),
      reporter: fc.constantFrom('+84987000001', '+84987000002', '+84987000003', '+84987000004'),
      agentId: fc.constant(null),
      // Mostly one kind and category: counts beyond the small ones countWindows shares.
      kind: fc.oneof(fc.constant(REPORT_KINDS[0]), fc.constantFrom(...REPORT_KINDS)),
      category: fc.oneof(fc.constant(CATEGORIES[0]), fc.constantFrom(...CATEGORIES)),
      numberType: fc.constant('mobile' as const),
      receivedAt: fc.oneof(
        fc.integer({ min: T0 - 40 * DAY, max: T0 + HOUR }),
        fc.constantFrom(...WINDOWS.flatMap((seconds) => [T0 - seconds * 1000, T0 - seconds * 1000 + 1])),
      ),
      weighted: fc.boolean(),
    });
    // Several calls in a row: whatever one call counted must not leak into the next.
    const calls = fc.array(
      fc.record({
        reports: fc.oneof(
          fc.array(report, { maxLength: 10 }),
          fc.array(report, { minLength: 20, maxLength: 60 }),
        ),
        shift: fc.constantFrom(0, -1, HOUR),
      }),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(calls, (batch) => {
        for (const { reports, shift } of batch)
          expect(countWindows(reports, T0 + shift)).toEqual(everythingCountedPlainly(reports, T0 + shift));
      }),
      { numRuns: 1_000 },
    );
  });

  it('gives zeros and no first or last seen without reports', () => {
    const counts = countWindows([], T0);
    expect(counts.windows[2_592_000].reports).toBe(0);
    expect(counts.firstSeenAt).toBeNull();
    expect(counts.lastSeenAt).toBeNull();
  });
});

describe('compareReports', () => {
  it('orders by time received, then by report id within the same millisecond', () => {
    const reports = [
      aReport({ reportId: 'b', receivedAt: T0 }),
      aReport({ reportId: 'c', receivedAt: T0 - 1 }),
      aReport({ reportId: 'a', receivedAt: T0 }),
    ];
    expect([...reports].sort(compareReports).map((report) => report.reportId)).toEqual(['c', 'a', 'b']);
  });
});
