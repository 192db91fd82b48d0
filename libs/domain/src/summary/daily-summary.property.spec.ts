/**
 * Whatever rows the database returns, and in whatever order: the totals agree with their
 * breakdowns, regenerating a day gives the same bytes, and the delays stay within what was seen.
 */
import fc from 'fast-check';
import { dailySummaryCsv, percentile, summarizeDay, type DailySummaryInput } from './daily-summary';

// Few keys, so rows collide and must be summed; some are awkward for objects and for CSV.
const key = fc.constantFrom('sms', 'hotline', 'api', '156', '9', '__proto__', 'a,b', 'say "hi"');
const count = fc.integer({ min: 0, max: 1_000 });
const DAY_MS = 86_400_000;

const input: fc.Arbitrary<DailySummaryInput> = fc.record({
  date: fc.constant('2026-11-28'),
  timeZone: fc.constantFrom('Asia/Ho_Chi_Minh', 'UTC'),
  reports: fc.array(
    fc.record({
      channel: key,
      shortCode: fc.option(key),
      kind: key,
      category: key,
      carrier: fc.option(key),
      count,
    }),
    { maxLength: 30 },
  ),
  rejections: fc.array(fc.record({ channel: key, reason: key, count }), { maxLength: 20 }),
  flagChanges: fc.array(
    fc.record({
      change: fc.constantFrom('opened', 'reopened', 'raised', 'escalated', 'overdue', 'actioned', 'claimed'),
      takenAction: fc.option(fc.constantFrom('warn', 'block_outgoing', 'suspend', 'a,b')),
      count,
    }),
    { maxLength: 20 },
  ),
  actionDelaysMs: fc.array(fc.integer({ min: 0, max: 30 * DAY_MS }), { maxLength: 40 }),
});

function permutation<T>(values: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...values], { minLength: values.length, maxLength: values.length });
}

const inputAndShuffled = input.chain((original) =>
  fc
    .record({
      reports: permutation(original.reports),
      rejections: permutation(original.rejections),
      flagChanges: permutation(original.flagChanges),
      actionDelaysMs: permutation(original.actionDelaysMs),
    })
    .map((shuffled) => ({ original, shuffled: { ...original, ...shuffled } })),
);

const sumOf = (record: Record<string, number>): number => Object.values(record).reduce((a, b) => a + b, 0);

describe('summarizeDay (properties)', () => {
  it('gives totals equal to the sum of each of their breakdowns', () => {
    fc.assert(
      fc.property(input, (day) => {
        const { reports, rejections, flags } = summarizeDay(day);
        for (const breakdown of [
          reports.byChannel,
          reports.byShortCode,
          reports.byKind,
          reports.byCategory,
          reports.byCarrier,
        ]) {
          expect(sumOf(breakdown)).toBe(reports.total);
        }
        expect(sumOf(rejections.byReason)).toBe(rejections.total);
        expect(sumOf(rejections.byChannel)).toBe(rejections.total);
        expect(sumOf(flags.actionedByAction)).toBe(flags.actioned);
      }),
    );
  });

  it('does not depend on the order of the rows: same object, same JSON, same CSV', () => {
    fc.assert(
      fc.property(inputAndShuffled, ({ original, shuffled }) => {
        const a = summarizeDay(original);
        const b = summarizeDay(shuffled);
        expect(b).toEqual(a);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        expect(dailySummaryCsv(b)).toBe(dailySummaryCsv(a));
      }),
    );
  });

  it('writes the same CSV from a summary read back from its JSON', () => {
    fc.assert(
      fc.property(input, (day) => {
        const summary = summarizeDay(day);
        expect(dailySummaryCsv(JSON.parse(JSON.stringify(summary)))).toBe(dailySummaryCsv(summary));
      }),
    );
  });

  it('keeps p90 at or above the median, both within the shortest and the longest delay', () => {
    fc.assert(
      fc.property(input, (day) => {
        const { count: delays, median, p90 } = summarizeDay(day).timeToActionSeconds;
        expect(delays).toBe(day.actionDelaysMs.length);
        if (delays === 0) {
          expect([median, p90]).toEqual([null, null]);
          return;
        }
        if (median === null || p90 === null) throw new Error('expected figures for a non-empty day');
        const min = Math.round(Math.min(...day.actionDelaysMs) / 1000);
        const max = Math.round(Math.max(...day.actionDelaysMs) / 1000);
        expect(p90).toBeGreaterThanOrEqual(median);
        for (const value of [median, p90]) {
          expect(value).toBeGreaterThanOrEqual(min);
          expect(value).toBeLessThanOrEqual(max);
        }
      }),
    );
  });
});

describe('percentile (properties)', () => {
  const sorted = fc
    .array(fc.integer({ min: -1e12, max: 1e12 }), { minLength: 1, maxLength: 50 })
    .map((values) => values.sort((a, b) => a - b));
  const fraction = fc.double({ min: 0, max: 1, noNaN: true });

  it('grows with p and stays within the smallest and the largest value', () => {
    fc.assert(
      fc.property(sorted, fraction, fraction, (values, p, q) => {
        const [low, high] = p <= q ? [p, q] : [q, p];
        const atLow = percentile(values, low);
        const atHigh = percentile(values, high);
        if (atLow === null || atHigh === null) throw new Error('expected a value');
        expect(atHigh).toBeGreaterThanOrEqual(atLow);
        expect(atLow).toBeGreaterThanOrEqual(values[0]);
        expect(atHigh).toBeLessThanOrEqual(values[values.length - 1]);
      }),
    );
  });
});
