import { DEFAULT_RULES } from './rules';
import { MINUTE, reportsFromDistinctReporters, T0 } from './spec-support';
import { compareReplays, replayReports, type ReplayReport } from './what-if';

const SPAMMER = '+84912000001';
const QUIET = '+84912000002';
const HOTLINE = '+8418001234';
const SCAMMER = '+84912000003';

function reportsOf(
  reportedNumber: string,
  count: number,
  series: number,
  kind: ReplayReport['kind'] = 'spam_call',
) {
  return reportsFromDistinctReporters(count, T0, { kind }, series).map((report) => ({
    ...report,
    reportId: `${reportedNumber}-${report.reportId}`,
    reportedNumber,
  }));
}

const REPORTS: ReplayReport[] = [
  ...reportsOf(SPAMMER, 12, 1),
  ...reportsOf(QUIET, 4, 2),
  ...reportsOf(HOTLINE, 40, 3),
  ...reportsOf(SCAMMER, 5, 4, 'scam_call'),
].reverse();

const allowlisted = (number: string) => number === HOTLINE;

describe('what-if replay', () => {
  it('gives each number its final flag and totals by severity, never flagging the allowlist', () => {
    const result = replayReports(REPORTS, DEFAULT_RULES, allowlisted);
    expect(
      result.flags.map(({ reportedNumber, severity, ruleId }) => [reportedNumber, severity, ruleId]),
    ).toEqual([
      [SPAMMER, 'medium', 'distinct-10-24h'],
      [QUIET, 'low', 'distinct-3-24h'],
      [SCAMMER, 'high', 'scam-distinct-5-24h'],
    ]);
    expect(result.totals).toEqual({ low: 1, medium: 1, high: 1 });
    expect(result.flags[0]).toMatchObject({ openedAt: T0 + 2 * MINUTE, transitions: 2 });
  });

  it("replays a protected originator's flag as spoofing, recommending no block", () => {
    const isProtected = (number: string) => number === SCAMMER;
    const result = replayReports(REPORTS, DEFAULT_RULES, allowlisted, () => {}, isProtected);
    expect(result.flags.find((flag) => flag.reportedNumber === SCAMMER)).toMatchObject({
      severity: 'high',
      recommendedAction: 'investigate_origin',
    });
    expect(result.flags.find((flag) => flag.reportedNumber === SPAMMER)?.recommendedAction).toBe('warn');
  });

  it('tells of each number replayed, flagged or not, so a long replay can show its progress', () => {
    let replayed = 0;
    replayReports(REPORTS, DEFAULT_RULES, allowlisted, () => (replayed += 1));
    expect(replayed).toBe(4);
  });

  it('gives the same result for the same reports in another order', () => {
    expect(replayReports([...REPORTS].reverse(), DEFAULT_RULES, allowlisted)).toEqual(
      replayReports(REPORTS, DEFAULT_RULES, allowlisted),
    );
  });

  it('lists the numbers whose outcome differs under a candidate rule set', () => {
    const candidate = DEFAULT_RULES.map((rule) =>
      rule.id === 'distinct-3-24h' ? { ...rule, threshold: 5, version: 2 } : rule,
    );
    const differences = compareReplays(
      replayReports(REPORTS, DEFAULT_RULES, allowlisted),
      replayReports(REPORTS, candidate, allowlisted),
    );
    expect(differences).toEqual([
      { reportedNumber: QUIET, before: expect.objectContaining({ severity: 'low' }), after: null },
    ]);
  });

  it('does not report a renamed rule that does the same', () => {
    const renamed = DEFAULT_RULES.map((rule) => ({ ...rule, id: `v2-${rule.id}` }));
    expect(
      compareReplays(
        replayReports(REPORTS, DEFAULT_RULES, allowlisted),
        replayReports(REPORTS, renamed, allowlisted),
      ),
    ).toEqual([]);
  });
});
