import type { WindowReport } from '@abuse-monitor/domain';
import { RecentReportsCache } from './recent-reports-cache';

const DAY = 86_400_000;
const REACH = 30 * DAY;
const T0 = Date.parse('2026-03-01T00:00:00Z');

const report = (id: string, receivedAt: number): WindowReport => ({
  reportId: id,
  reporter: `+8491${id}`,
  agentId: null,
  kind: 'spam_call',
  category: 'advertising',
  numberType: 'mobile',
  receivedAt,
  weighted: true,
});

const remember = (
  cache: RecentReportsCache,
  reportedNumber: string,
  storedReports: number,
  reports: WindowReport[],
  completeAfter = 0,
) => cache.remember({ reportedNumber, storedReports, completeAfter, reports }, REACH);

const ids = (reports: readonly WindowReport[] | undefined) => reports?.map((r) => r.reportId);

describe('RecentReportsCache', () => {
  it('knows without asking that a number with nothing stored has no history', () => {
    expect(new RecentReportsCache(10).reportsAfter('+84981', 0, T0)).toEqual([]);
  });

  it('gives back what it remembered, after the moment asked for, in timeline order', () => {
    const cache = new RecentReportsCache(10);
    remember(cache, '+84981', 3, [report('c', T0 + 2), report('a', T0), report('b', T0 + 1)], T0 - REACH);
    expect(ids(cache.reportsAfter('+84981', 3, T0 - 1))).toEqual(['a', 'b', 'c']);
    expect(ids(cache.reportsAfter('+84981', 3, T0))).toEqual(['b', 'c']);
    expect(cache.reportsAfter('+84982', 3, T0)).toBeUndefined();
  });

  it('does not answer once the database holds a different count: another consumer wrote', () => {
    const cache = new RecentReportsCache(10);
    remember(cache, '+84981', 2, [report('a', T0), report('b', T0)]);
    expect(cache.reportsAfter('+84981', 3, T0 - 1)).toBeUndefined();
    expect(cache.reportsAfter('+84981', 2, T0 - 1)).toHaveLength(2);
  });

  it('does not answer for a moment before what it holds completely (a late report)', () => {
    const cache = new RecentReportsCache(10);
    remember(cache, '+84981', 2, [report('a', T0), report('b', T0 + DAY)], T0 - REACH);
    // Complete from 30 days before the latest report: what a batch of later reports asks for.
    expect(cache.reportsAfter('+84981', 2, T0 + DAY - REACH)).toHaveLength(2);
    expect(cache.reportsAfter('+84981', 2, T0 + DAY - REACH - 1)).toBeUndefined();
  });

  it("keeps only the last 30 days before a number's latest report, and says so", () => {
    const cache = new RecentReportsCache(10);
    const latest = T0 + 40 * DAY;
    remember(
      cache,
      '+84981',
      3,
      [report('old', T0), report('edge', latest - REACH), report('new', latest)],
      T0 - REACH,
    );
    expect(cache.reportCount).toBe(1);
    expect(ids(cache.reportsAfter('+84981', 3, latest - REACH))).toEqual(['new']);
    expect(cache.reportsAfter('+84981', 3, latest - REACH - 1)).toBeUndefined();
  });

  it('does not remember numbers reported once, which are mostly never reported again', () => {
    const cache = new RecentReportsCache(10);
    remember(cache, '+84981', 1, [report('a', T0)]);
    expect(cache.reportCount).toBe(0);
    expect(cache.reportsAfter('+84981', 1, 0)).toBeUndefined();
  });

  it('forgets the numbers used least recently once it holds more reports than allowed', () => {
    const cache = new RecentReportsCache(4);
    const two = (number: string) =>
      remember(cache, number, 2, [report(`${number}-1`, T0), report(`${number}-2`, T0 + 1)]);
    two('+84981');
    two('+84982');
    expect(cache.reportsAfter('+84981', 2, T0 - 1)).toHaveLength(2); // used: now the most recent
    two('+84983');
    expect(cache.reportCount).toBe(4);
    expect(cache.reportsAfter('+84982', 2, T0 - 1)).toBeUndefined();
    expect(cache.reportsAfter('+84981', 2, T0 - 1)).toHaveLength(2);
    expect(cache.reportsAfter('+84983', 2, T0 - 1)).toHaveLength(2);
  });

  it('replaces what it held for a number, and never holds a timeline larger than its bound', () => {
    const cache = new RecentReportsCache(3);
    remember(cache, '+84981', 2, [report('a', T0), report('b', T0)]);
    remember(
      cache,
      '+84981',
      4,
      ['a', 'b', 'c', 'd'].map((id) => report(id, T0)),
    );
    expect(cache.reportCount).toBe(0);
    expect(cache.reportsAfter('+84981', 2, 0)).toBeUndefined();
    expect(cache.reportsAfter('+84981', 4, 0)).toBeUndefined();
  });
});
