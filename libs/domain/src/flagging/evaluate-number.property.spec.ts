/**
 * Whatever way the reports of a number are split into batches (a crash, a rebalance, a replay
 * from an earlier offset), the flags and the events must be those of one calm run.
 */
import fc from 'fast-check';
import { evaluateNumber } from './evaluate-number';
import { type FlagState, type FlagTransition } from './flag-state';
import { LONGEST_WINDOW_SECONDS, severityRank, type Rule } from './rules';
import { initialFlag, reportsInTimelineOrder, rules } from './spec-arbitraries';
import { REPORTED } from './spec-support';
import { compareReports, type WindowReport } from './window-counts';

/** Cuts the arrival sequence into batches where `cuts` says so, and shuffles each batch. */
function batchesOf(reports: WindowReport[], cuts: boolean[], shuffleKeys: number[]): WindowReport[][] {
  const batches: WindowReport[][] = [[]];
  reports.forEach((report, index) => {
    if (index > 0 && cuts[index % cuts.length]) batches.push([]);
    batches[batches.length - 1].push(report);
  });
  return batches.map((batch) =>
    batch
      .map((report, index) => ({ report, key: shuffleKeys[index % shuffleKeys.length] }))
      .sort((a, b) => a.key - b.key)
      .map(({ report }) => report),
  );
}

interface Run {
  readonly flag: FlagState | null;
  readonly transitions: FlagTransition[];
}

/** What the aggregator does: each batch sees, as history, the stored reports the contract asks for. */
function feedInBatches(
  batches: WindowReport[][],
  rulesToUse: readonly Rule[],
  flag: FlagState | null,
  historyAsRead: (history: WindowReport[]) => WindowReport[] = (history) => history,
): Run {
  const stored: WindowReport[] = [];
  const transitions: FlagTransition[] = [];
  let current = flag;
  for (const batch of batches) {
    if (batch.length === 0) continue;
    const earliest = Math.min(...batch.map((report) => report.receivedAt));
    const history = stored.filter((report) => report.receivedAt > earliest - LONGEST_WINDOW_SECONDS * 1000);
    const result = evaluateNumber({
      reportedNumber: REPORTED,
      allowlisted: false,
      rules: rulesToUse,
      history: historyAsRead(history),
      newReports: batch,
      flag: current,
    });
    transitions.push(...result.transitions);
    current = result.flag;
    stored.push(...batch);
  }
  return { flag: current, transitions };
}

function calmRun(reports: WindowReport[], rulesToUse: readonly Rule[], flag: FlagState | null): Run {
  return feedInBatches([reports], rulesToUse, flag);
}

const cutsAndKeys = fc.record({
  cuts: fc.array(fc.boolean(), { minLength: 1, maxLength: 70 }),
  shuffleKeys: fc.array(fc.integer(), { minLength: 1, maxLength: 70 }),
});

describe('evaluateNumber (properties)', () => {
  it('gives the same flag and the same events however the reports are split into batches', () => {
    fc.assert(
      fc.property(
        reportsInTimelineOrder,
        rules,
        initialFlag,
        cutsAndKeys,
        (reports, ruleSet, flag, split) => {
          const batched = feedInBatches(batchesOf(reports, split.cuts, split.shuffleKeys), ruleSet, flag);
          expect(batched).toEqual(calmRun(reports, ruleSet, flag));
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it('gives the same result whatever order the history comes in (the database returns it unordered), late reports included', () => {
    fc.assert(
      fc.property(
        reportsInTimelineOrder.chain((reports) =>
          fc.shuffledSubarray(reports, { minLength: reports.length, maxLength: reports.length }),
        ),
        rules,
        initialFlag,
        cutsAndKeys,
        (arrival, ruleSet, flag, split) => {
          const batches = batchesOf(arrival, split.cuts, split.shuffleKeys);
          const reversed = feedInBatches(batches, ruleSet, flag, (history) => [...history].reverse());
          expect(reversed).toEqual(feedInBatches(batches, ruleSet, flag));
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('gives the same result when every report comes in a batch of its own', () => {
    fc.assert(
      fc.property(reportsInTimelineOrder, rules, (reports, ruleSet) => {
        const oneByOne = feedInBatches(
          reports.map((report) => [report]),
          ruleSet,
          null,
        );
        expect(oneByOne).toEqual(calmRun(reports, ruleSet, null));
      }),
      { numRuns: 500 },
    );
  });

  it('gives identical events and ids when the same reports are replayed from the same state', () => {
    fc.assert(
      fc.property(
        reportsInTimelineOrder,
        rules,
        initialFlag,
        cutsAndKeys,
        (reports, ruleSet, flag, split) => {
          const batches = batchesOf(reports, split.cuts, split.shuffleKeys);
          const first = feedInBatches(batches, ruleSet, flag);
          const second = feedInBatches(batches, ruleSet, flag);
          expect(second).toEqual(first);
          const ids = first.transitions.flatMap((t) => (t.event === null ? [] : [t.event.eventId]));
          expect(new Set(ids).size).toBe(ids.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reaches the calm run severity when reports arrive late, in any order and any batches', () => {
    const lateArrivals = reportsInTimelineOrder.chain((reports) =>
      fc
        .shuffledSubarray(reports, { minLength: reports.length, maxLength: reports.length })
        .map((arrival) => ({
          reports,
          arrival,
        })),
    );
    fc.assert(
      fc.property(lateArrivals, rules, cutsAndKeys, ({ reports, arrival }, ruleSet, split) => {
        const batched = feedInBatches(batchesOf(arrival, split.cuts, split.shuffleKeys), ruleSet, null);
        const calm = calmRun(reports, ruleSet, null);
        expect(batched.flag?.severity).toEqual(calm.flag?.severity);
        expect(batched.flag?.status).toEqual(calm.flag?.status);
        // and no severity is ever reached that the calm run never reached
        const maximum = (run: Run) =>
          Math.max(-1, ...run.transitions.map((t) => severityRank(t.state.severity)));
        expect(maximum(batched)).toBe(maximum(calm));
      }),
      { numRuns: 1_000 },
    );
  });

  it('gives the calm run result when reports arrive out of order only within a batch', () => {
    fc.assert(
      fc.property(reportsInTimelineOrder, rules, cutsAndKeys, (reports, ruleSet, split) => {
        const batches = batchesOf(reports, split.cuts, split.shuffleKeys);
        const reversedWithin = batches.map((batch) => [...batch].sort(compareReports).reverse());
        expect(feedInBatches(reversedWithin, ruleSet, null)).toEqual(calmRun(reports, ruleSet, null));
      }),
      { numRuns: 300 },
    );
  });

  it('never takes a number above low on reports one agent entered, whoever the reporters', () => {
    const byOneAgent = reportsInTimelineOrder.map((reports) =>
      reports.map((report) => ({ ...report, agentId: 'alice' })),
    );
    fc.assert(
      fc.property(byOneAgent, rules, cutsAndKeys, (reports, ruleSet, split) => {
        const run = feedInBatches(batchesOf(reports, split.cuts, split.shuffleKeys), ruleSet, null);
        for (const t of run.transitions) expect(t.state.severity).toBe('low');
        for (const t of run.transitions) {
          const cap = t.historyEntry.evidence?.cap;
          if (cap) expect(cap.explanation).toBe('capped at low: all reports entered by one agent (alice)');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('lets a second source take the flag as far as the rules say', () => {
    fc.assert(
      fc.property(reportsInTimelineOrder, rules, (reports, ruleSet) => {
        const fromSms = reports.map((report) => ({ ...report, agentId: null }));
        const uncapped = calmRun(fromSms, ruleSet, null);
        for (const t of uncapped.transitions) expect(t.historyEntry.evidence?.cap).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe('evaluateNumber (property generators)', () => {
  it('produce cases that open, raise and reopen flags, in several batches', () => {
    const samples = fc.sample(fc.tuple(reportsInTimelineOrder, rules, initialFlag, cutsAndKeys), {
      numRuns: 500,
      seed: 42,
    });
    const seen = new Set<string>();
    for (const [reports, ruleSet, flag, split] of samples) {
      const batches = batchesOf(reports, split.cuts, split.shuffleKeys);
      if (batches.length < 2) continue;
      for (const t of feedInBatches(batches, ruleSet, flag).transitions) seen.add(t.historyEntry.change);
    }
    expect([...seen].sort()).toEqual(['opened', 'raised', 'reopened']);
  });
});
