/**
 * The cache as it was before it kept timelines in order without copying them: the same answers,
 * whatever is remembered and asked in whatever order.
 */
import fc from 'fast-check';
import { compareReports, type WindowReport } from '@abuse-monitor/domain';
import { RecentReportsCache, type TimelineToRemember } from './recent-reports-cache';

class RecentReportsCacheBefore {
  private readonly timelines = new Map<string, Omit<TimelineToRemember, 'reportedNumber'>>();
  private size = 0;

  constructor(private readonly maxReports: number) {}

  /** Reports held, across all numbers. */
  get reportCount(): number {
    return this.size;
  }

  /**
   * The stored reports of a number received after `from`, or undefined when only the database
   * can tell: nothing remembered, remembered before another writer stored more, or not that far
   * back. `storedReports` is the count the database holds now.
   */
  reportsAfter(reportedNumber: string, storedReports: number, from: number): WindowReport[] | undefined {
    if (storedReports === 0) return [];
    const cached = this.timelines.get(reportedNumber);
    if (cached === undefined || cached.storedReports !== storedReports || cached.completeAfter > from)
      return undefined;
    // Touched: the most recently used numbers stay longest.
    this.timelines.delete(reportedNumber);
    this.timelines.set(reportedNumber, cached);
    return cached.reports.filter((report) => report.receivedAt > from);
  }

  /**
   * Remembers a number's timeline, keeping only what is within `reachMs` of its latest report.
   * A number reported once is not kept: most are never reported again, and remembering them all
   * would push out the busy numbers this is for.
   */
  remember(timeline: TimelineToRemember, reachMs: number): void {
    this.forget(timeline.reportedNumber);
    if (timeline.storedReports < 2) return;
    const sorted = [...timeline.reports].sort(compareReports);
    const latest = sorted.at(-1)?.receivedAt;
    const cutoff =
      latest === undefined ? timeline.completeAfter : Math.max(timeline.completeAfter, latest - reachMs);
    const reports = sorted.filter((report) => report.receivedAt > cutoff);
    if (reports.length > this.maxReports) return;
    this.timelines.set(timeline.reportedNumber, {
      storedReports: timeline.storedReports,
      completeAfter: cutoff,
      reports,
    });
    this.size += reports.length;
    for (const [number, oldest] of this.timelines) {
      if (this.size <= this.maxReports) break;
      this.forget(number, oldest);
    }
  }

  private forget(reportedNumber: string, cached = this.timelines.get(reportedNumber)): void {
    if (cached === undefined) return;
    this.timelines.delete(reportedNumber);
    this.size -= cached.reports.length;
  }
}

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');

const report = fc.record({
  reportId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
  reporter: fc.constantFrom('+84911', '+84912'),
  agentId: fc.constant(null),
  kind: fc.constant('spam_call' as const),
  category: fc.constant('advertising' as const),
  numberType: fc.constant('mobile' as const),
  receivedAt: fc.oneof(
    fc.integer({ min: T0, max: T0 + 40 * DAY }),
    fc.constantFrom(T0, T0 + DAY, T0 + 31 * DAY),
  ),
  weighted: fc.boolean(),
});

const operation = fc.oneof(
  fc.record({
    remember: fc.record({
      reportedNumber: fc.constantFrom('+84981', '+84982', '+84983'),
      storedReports: fc.integer({ min: 0, max: 4 }),
      completeAfter: fc.oneof(fc.constant(0), fc.integer({ min: T0 - DAY, max: T0 + 20 * DAY })),
      // In timeline order (as the aggregator usually hands them over) or not.
      reports: fc.array(report, { maxLength: 8 }),
      sorted: fc.boolean(),
    }),
  }),
  fc.record({
    ask: fc.record({
      reportedNumber: fc.constantFrom('+84981', '+84982', '+84983'),
      storedReports: fc.integer({ min: 0, max: 4 }),
      from: fc.oneof(fc.integer({ min: T0 - DAY, max: T0 + 40 * DAY }), fc.constantFrom(T0, T0 + DAY)),
    }),
  }),
);

describe('RecentReportsCache (against the cache before)', () => {
  it('remembers and answers as it did, whatever the order of its reports', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        (operations, bound) => {
          const cache = new RecentReportsCache(bound);
          const before = new RecentReportsCacheBefore(bound);
          for (const op of operations) {
            if ('remember' in op) {
              const { sorted, reports, ...rest } = op.remember;
              const timeline = { ...rest, reports: sorted ? [...reports].sort(compareReports) : reports };
              cache.remember({ ...timeline, reports: [...timeline.reports] }, 30 * DAY);
              before.remember({ ...timeline, reports: [...timeline.reports] }, 30 * DAY);
            } else {
              const { reportedNumber, storedReports, from } = op.ask;
              expect(cache.reportsAfter(reportedNumber, storedReports, from)).toEqual(
                before.reportsAfter(reportedNumber, storedReports, from),
              );
            }
            expect(cache.reportCount).toBe(before.reportCount);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
