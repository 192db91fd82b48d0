import fc from 'fast-check';
import {
  carriesWeight,
  GUARD_WINDOW_MS,
  isSuspiciousReporter,
  reportsInLast24hAmong,
  standingAfterReport,
} from './reporter-guard';

describe('reporter guard', () => {
  it('marks a reporter suspicious above the daily limit, not at it', () => {
    expect(isSuspiciousReporter(20, 20)).toBe(false);
    expect(isSuspiciousReporter(21, 20)).toBe(true);
    expect(isSuspiciousReporter(21)).toBe(true);
  });

  it('keeps a reporter suspicious until a person clears them, and a cleared one cleared', () => {
    expect(standingAfterReport('normal', 5, 20)).toBe('normal');
    expect(standingAfterReport('normal', 21, 20)).toBe('suspicious');
    expect(standingAfterReport('suspicious', 1, 20)).toBe('suspicious');
    expect(standingAfterReport('cleared', 50, 20)).toBe('cleared');
  });

  it('gives suspicious reporters no weight', () => {
    expect(carriesWeight('suspicious')).toBe(false);
    expect(carriesWeight('normal')).toBe(true);
    expect(carriesWeight('cleared')).toBe(true);
  });

  describe('reports in the 24 hours up to each report, among a batch', () => {
    const at = Date.parse('2026-03-01T12:00:00Z');
    const report = (reportId: string, reporter: string, receivedAt: number) => ({
      reportId,
      reporter,
      receivedAt,
    });

    it('counts the report itself, earlier ones within 24 hours, and ones at the same millisecond', () => {
      const counts = reportsInLast24hAmong([
        report('a', '+84911', at - GUARD_WINDOW_MS),
        report('b', '+84911', at - GUARD_WINDOW_MS + 1),
        report('c', '+84911', at),
        report('d', '+84911', at),
        report('e', '+84922', at),
      ]);
      // a is exactly 24 h before c and d: out of their window.
      expect(Object.fromEntries(counts)).toEqual({ a: 1, b: 2, c: 3, d: 3, e: 1 });
    });

    it('does not depend on the order the reports come in', () => {
      const reports = [
        report('x', '+84911', at),
        report('y', '+84911', at - 3_600_000),
        report('z', '+84911', at + 1),
      ];
      expect(reportsInLast24hAmong(reports)).toEqual(reportsInLast24hAmong([...reports].reverse()));
      expect(reportsInLast24hAmong(reports).get('y')).toBe(1);
    });

    it('equals counting every other report of the same reporter one by one', () => {
      const reportArb = fc.record({
        reporter: fc.constantFrom('+84911', '+84922', '+84933'),
        // Whole hours within three days, so that 24-hour boundaries and ties happen often.
        receivedAt: fc.integer({ min: 0, max: 72 }).map((hours) => at + hours * 3_600_000),
      });
      fc.assert(
        fc.property(fc.array(reportArb, { maxLength: 60 }), (drawn) => {
          const reports = drawn.map((r, i) => report(`r${i}`, r.reporter, r.receivedAt));
          const counts = reportsInLast24hAmong(reports);
          for (const r of reports) {
            const naive = reports.filter(
              (o) =>
                o.reporter === r.reporter &&
                o.receivedAt > r.receivedAt - GUARD_WINDOW_MS &&
                o.receivedAt <= r.receivedAt,
            ).length;
            expect(counts.get(r.reportId)).toBe(naive);
          }
        }),
      );
    });
  });
});
