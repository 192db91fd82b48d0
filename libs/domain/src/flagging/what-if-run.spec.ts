import fc from 'fast-check';
import { DEFAULT_RULES, type Rule } from './rules';
import { reportsInTimelineOrder, rules } from './spec-arbitraries';
import { MINUTE, reportsFromDistinctReporters, T0 } from './spec-support';
import type { WindowReport } from './window-counts';
import { compareReplays, replayReports, type ReplayDifference, type ReplayReport } from './what-if';
import {
  batchesOf,
  changeKindOf,
  lowestThreshold,
  runWhatIf,
  summariseChanges,
  type ReplaySource,
} from './what-if-run';

/** A source over reports in memory that records which numbers the run asked for. */
function memorySource(reports: readonly ReplayReport[]) {
  const asked: string[][] = [];
  const source: ReplaySource = {
    async numbersIn(leastWeighted) {
      const weighted = new Map<string, number>();
      for (const r of reports)
        weighted.set(r.reportedNumber, (weighted.get(r.reportedNumber) ?? 0) + (r.weighted ? 1 : 0));
      return {
        reports: reports.length,
        anonymisedReports: 0,
        numbers: weighted.size,
        reachable: [...weighted]
          .filter(([, weightedReports]) => weightedReports >= leastWeighted)
          .map(([reportedNumber, weightedReports]) => ({ reportedNumber, weightedReports })),
      };
    },
    async timelines(numbers) {
      asked.push([...numbers]);
      const timelines = new Map<string, WindowReport[]>();
      // Newest first: the run must put each timeline in order itself.
      for (const r of [...reports].reverse())
        if (numbers.includes(r.reportedNumber))
          timelines.set(r.reportedNumber, [...(timelines.get(r.reportedNumber) ?? []), r]);
      return timelines;
    },
  };
  return { source, asked };
}

const NUMBERS = ['+84912000001', '+84912000002', '+84912000003', '+84912000004'];

const reportsOfSeveralNumbers = fc
  .array(fc.tuple(fc.constantFrom(...NUMBERS), reportsInTimelineOrder), { maxLength: 4 })
  .map((timelines) =>
    timelines.flatMap(([reportedNumber, timeline], t) =>
      timeline.map((report) => ({ ...report, reportId: `${t}-${report.reportId}`, reportedNumber })),
    ),
  );

describe('runWhatIf', () => {
  it('finds the same differences and totals as replaying every report, a batch of numbers at a time', async () => {
    await fc.assert(
      fc.asyncProperty(
        reportsOfSeveralNumbers,
        rules,
        rules,
        fc.integer({ min: 1, max: 30 }),
        async (reports, current, candidate, reportsPerBatch) => {
          const allowlisted = (n: string) => n === NUMBERS[3];
          const { source } = memorySource(reports);
          const run = await runWhatIf(source, { current, candidate }, allowlisted, {
            numbersPerBatch: 2,
            reportsPerBatch,
          });
          const before = replayReports(reports, current, allowlisted);
          const after = replayReports(reports, candidate, allowlisted);
          expect(run.differences).toEqual(compareReplays(before, after));
          expect(run.current).toEqual(before.totals);
          expect(run.candidate).toEqual(after.totals);
          expect(run.reports).toBe(reports.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads the timelines of only the numbers that could reach a threshold, and never the allowlist', async () => {
    const reportsOf = (reportedNumber: string, count: number, series: number) =>
      reportsFromDistinctReporters(count, T0, {}, series).map((r) => ({
        ...r,
        reportId: `${reportedNumber}-${r.reportId}`,
        reportedNumber,
      }));
    const reports = [
      ...reportsOf(NUMBERS[0], 12, 1),
      ...reportsOf(NUMBERS[1], 2, 2),
      ...reportsOf(NUMBERS[2], 3, 3),
      ...reportsOf(NUMBERS[3], 40, 4),
    ];
    const { source, asked } = memorySource(reports);
    const candidate = DEFAULT_RULES.map((rule) =>
      rule.id === 'distinct-3-24h' ? { ...rule, threshold: 4, version: 2 } : rule,
    );
    const run = await runWhatIf(source, { current: DEFAULT_RULES, candidate }, (n) => n === NUMBERS[3]);
    expect(asked).toEqual([[NUMBERS[0], NUMBERS[2]]]);
    expect(run).toMatchObject({ reports: 57, numbers: 4, numbersReplayed: 2 });
    expect(run.differences.map((d) => [d.reportedNumber, changeKindOf(d)])).toEqual([[NUMBERS[2], 'closed']]);
    expect(run.differences[0].before).toMatchObject({ severity: 'low', openedAt: T0 + 2 * MINUTE });
  });

  it("tells each replayed number's flag under the current rules, for the campaign view", async () => {
    const reports = [
      ...reportsFromDistinctReporters(3, T0, {}, 1).map((r) => ({ ...r, reportedNumber: NUMBERS[0] })),
      // Three reports from two people: no rule fires.
      ...reportsFromDistinctReporters(3, T0, {}, 2).map((r, i, all) => ({
        ...r,
        reportedNumber: NUMBERS[1],
        reporter: i === 2 ? all[0].reporter : r.reporter,
      })),
    ];
    const told: [string, number | null][] = [];
    await runWhatIf(
      memorySource(reports).source,
      { current: DEFAULT_RULES, candidate: DEFAULT_RULES },
      () => false,
      {
        onReplayed: (reportedNumber, current) => told.push([reportedNumber, current?.openedAt ?? null]),
      },
    );
    expect(told).toEqual([
      [NUMBERS[0], T0 + 2 * MINUTE],
      [NUMBERS[1], null],
    ]);
  });

  it('replays nothing when no rule is enabled in either set', async () => {
    const off: Rule[] = DEFAULT_RULES.map((rule) => ({ ...rule, enabled: false }));
    expect(lowestThreshold(off, off)).toBe(Number.POSITIVE_INFINITY);
    expect(lowestThreshold(DEFAULT_RULES, off)).toBe(3);
    const { source, asked } = memorySource(
      reportsFromDistinctReporters(5, T0).map((r) => ({ ...r, reportedNumber: NUMBERS[0] })),
    );
    const run = await runWhatIf(source, { current: off, candidate: off }, () => false);
    expect(asked).toEqual([]);
    expect(run.numbersReplayed).toBe(0);
  });
});

describe('batchesOf', () => {
  const n = (reportedNumber: string, weightedReports: number) => ({ reportedNumber, weightedReports });

  it('closes a batch before it passes either bound, and gives a number over the reports bound a batch alone', () => {
    const numbers = [n('a', 3), n('b', 4), n('c', 50), n('d', 3), n('e', 3), n('f', 3), n('g', 3)];
    expect(batchesOf(numbers, 3, 10)).toEqual([['a', 'b'], ['c'], ['d', 'e', 'f'], ['g']]);
    expect(batchesOf(numbers, 100, 1_000)).toEqual([['a', 'b', 'c', 'd', 'e', 'f', 'g']]);
    expect(batchesOf([], 3, 10)).toEqual([]);
  });
});

describe('summariseChanges', () => {
  const flag = (severity: 'low' | 'medium' | 'high', action: 'watch' | 'warn' = 'watch') => ({
    reportedNumber: 'n',
    severity,
    ruleId: 'r',
    ruleVersion: 1,
    recommendedAction: action,
    openedAt: T0,
    transitions: 1,
  });
  const differences: ReplayDifference[] = [
    { reportedNumber: 'a', before: null, after: flag('low') },
    { reportedNumber: 'b', before: null, after: flag('high') },
    { reportedNumber: 'c', before: flag('low'), after: null },
    { reportedNumber: 'd', before: flag('low'), after: flag('medium') },
    { reportedNumber: 'e', before: flag('high'), after: flag('medium') },
    { reportedNumber: 'f', before: flag('low'), after: flag('low', 'warn') },
    { reportedNumber: 'g', before: null, after: flag('medium') },
  ];

  it('counts opened, closed, raised, lowered and changed actions, with the first few of each', () => {
    const { counts, examples } = summariseChanges(differences, 2);
    expect(counts).toEqual({ opened: 3, closed: 1, raised: 1, lowered: 1, actionChanged: 1 });
    expect(examples.opened.map((d) => d.reportedNumber)).toEqual(['a', 'b']);
    expect(examples.lowered.map((d) => d.reportedNumber)).toEqual(['e']);
    expect(examples.actionChanged.map((d) => d.reportedNumber)).toEqual(['f']);
  });
});
