import fc from 'fast-check';
import { EARLIEST_REPORT_TIME, MAX_CLOCK_AHEAD_MS, nestsDeeperThan, reportTimeProblem } from './report-time';

const NOW = Date.parse('2026-11-29T08:00:00Z');

describe('reportTimeProblem', () => {
  it('accepts times from 2000 up to a day ahead of the clock', () => {
    expect(reportTimeProblem(EARLIEST_REPORT_TIME, NOW)).toBeNull();
    expect(reportTimeProblem(Date.parse('2025-01-01T00:00:00+07:00'), NOW)).toBeNull();
    expect(reportTimeProblem(NOW, NOW)).toBeNull();
    expect(reportTimeProblem(NOW + MAX_CLOCK_AHEAD_MS, NOW)).toBeNull();
  });

  it('turns away broken clocks: the epoch, year 0000, anything before 2000', () => {
    expect(reportTimeProblem(0, NOW)).toBe('must not be before 2000-01-01T00:00:00Z');
    expect(reportTimeProblem(Date.parse('0000-01-01T00:00:00Z'), NOW)).toMatch(/before 2000/);
    expect(reportTimeProblem(EARLIEST_REPORT_TIME - 1, NOW)).toMatch(/before 2000/);
  });

  it('turns away times more than a day ahead, and times that are not times', () => {
    expect(reportTimeProblem(NOW + MAX_CLOCK_AHEAD_MS + 1, NOW)).toMatch(/24 hours ahead/);
    expect(reportTimeProblem(Date.parse('2062-11-29T08:00:00Z'), NOW)).toMatch(/24 hours ahead/);
    expect(reportTimeProblem(Number.NaN, NOW)).toBe('is not a valid time');
  });
});

describe('nestsDeeperThan', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { inner: value };
    return value;
  };

  it('counts arrays and objects, not scalars', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({ a: 1, b: [2, 3] }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: 1, b: [2, [3]] }, 2)).toBe(true);
  });

  it('finds the depth exactly, wherever the deepest branch is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 5 }), (depth, siblings) => {
        const value = [...Array.from({ length: siblings }, () => ({ shallow: 1 })), nested(depth)];
        // The list itself is one more level.
        expect(nestsDeeperThan(value, depth + 1)).toBe(false);
        expect(nestsDeeperThan(value, depth)).toBe(true);
      }),
    );
  });

  it('measures a million levels without running out of stack', () => {
    expect(nestsDeeperThan(JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000)), 64)).toBe(true);
  });
});
