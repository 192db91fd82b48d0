import { evaluateNumber, type EvaluateNumberInput } from './evaluate-number';
import { actOnFlag, dismissFlag, type FlagState } from './flag-state';
import { DEFAULT_RULES } from './rules';
import { aReport, DAY, HOUR, MINUTE, REPORTED, reportsFromDistinctReporters, T0 } from './spec-support';
import type { WindowReport } from './window-counts';

function evaluate(fields: Partial<EvaluateNumberInput>) {
  return evaluateNumber({
    reportedNumber: REPORTED,
    allowlisted: false,
    rules: DEFAULT_RULES,
    history: [],
    newReports: [],
    flag: null,
    ...fields,
  });
}

function acted(flag: FlagState | null, at: number): FlagState {
  if (flag === null) throw new Error('expected a flag');
  const result = actOnFlag(flag, { analyst: 'a', at, action: 'block_outgoing' });
  if (!result.ok) throw new Error(result.refusal.message);
  return result.transition.state;
}

describe('evaluateNumber', () => {
  it('opens a flag exactly at the third distinct reporter, not one report earlier', () => {
    const [first, second, third] = reportsFromDistinctReporters(3);
    const afterTwo = evaluate({ newReports: [first, second] });
    expect(afterTwo.flag).toBeNull();
    expect(afterTwo.transitions).toEqual([]);

    const afterThree = evaluate({ history: [first, second], newReports: [third] });
    expect(afterThree.flag).toMatchObject({ status: 'open', severity: 'low', openedAt: third.receivedAt });
    expect(afterThree.transitions).toHaveLength(1);
    expect(afterThree.transitions[0].event).toMatchObject({
      eventId: 'flag:+84912345678:1',
      type: 'opened',
      at: third.receivedAt,
      ruleId: 'distinct-3-24h',
      ruleVersion: 1,
      evidence: { measured: 3, threshold: 3, reportIds: ['r01', 'r02', 'r03'], reportsBehind: 3 },
    });
    expect(afterThree.transitions[0].event?.evidence?.counts.windows[86_400].distinctReporters).toBe(3);
  });

  it('counts the same reporter reporting ten times once', () => {
    const tenTimes = Array.from({ length: 10 }, (_, index) =>
      aReport({ reportId: `same-${index}`, receivedAt: T0 + index * MINUTE }),
    );
    const result = evaluate({ newReports: [...tenTimes, ...reportsFromDistinctReporters(1, T0 + HOUR)] });
    expect(result.flag).toBeNull();
    expect(result.counts?.windows[86_400]).toMatchObject({ reports: 11, distinctReporters: 2 });
  });

  it('gives suspicious reporters no weight but still counts their reports', () => {
    const suspicious = reportsFromDistinctReporters(40, T0, { weighted: false });
    const result = evaluate({
      newReports: [...suspicious, ...reportsFromDistinctReporters(2, T0 + HOUR, {}, 1)],
    });
    expect(result.flag).toBeNull();
    expect(result.counts?.windows[86_400]).toEqual({
      reports: 42,
      distinctReporters: 42,
      weightedReports: 2,
      weightedDistinctReporters: 2,
    });
  });

  it('never flags an allowlisted number but counts its reports', () => {
    const result = evaluate({
      allowlisted: true,
      newReports: reportsFromDistinctReporters(40, T0, { kind: 'scam_call' }),
    });
    expect(result.flag).toBeNull();
    expect(result.transitions).toEqual([]);
    expect(result.counts?.windows[86_400].distinctReporters).toBe(40);
  });

  it('raises the flag as stronger rules fire, with no event for weaker ones', () => {
    const result = evaluate({ newReports: reportsFromDistinctReporters(31) });
    expect(
      result.transitions.map((t) => [t.event?.type, t.state.severity, t.state.ruleId, t.historyEntry.at]),
    ).toEqual([
      ['opened', 'low', 'distinct-3-24h', T0 + 2 * MINUTE],
      ['raised', 'medium', 'distinct-10-24h', T0 + 9 * MINUTE],
      ['raised', 'high', 'distinct-30-24h', T0 + 29 * MINUTE],
    ]);
    expect(result.transitions.map((t) => t.event?.eventId)).toEqual([
      'flag:+84912345678:1',
      'flag:+84912345678:2',
      'flag:+84912345678:3',
    ]);
    expect(result.flag).toMatchObject({ severity: 'high', recommendedAction: 'block_outgoing', sequence: 3 });
  });

  it('opens a high flag on five distinct scam-call reporters', () => {
    const result = evaluate({ newReports: reportsFromDistinctReporters(5, T0, { kind: 'scam_call' }) });
    expect(result.flag).toMatchObject({ severity: 'high', ruleId: 'scam-distinct-5-24h' });
  });

  it('drops reports that fall out of the window', () => {
    const early = reportsFromDistinctReporters(2);
    const late = aReport({ reportId: 'late', reporter: '+84987555555', receivedAt: T0 + DAY });
    expect(evaluate({ history: early, newReports: [late] }).flag).toBeNull();
    const justIn = { ...late, receivedAt: T0 + DAY - 1 };
    expect(evaluate({ history: early, newReports: [justIn] }).flag).toMatchObject({ status: 'open' });
  });

  it('reopens an actioned flag when reports received after the action reach a rule again', () => {
    const before = reportsFromDistinctReporters(3);
    const opened = evaluate({ newReports: before });
    const actioned = acted(opened.flag, T0 + HOUR);

    const twoMore = reportsFromDistinctReporters(2, T0 + 2 * HOUR, {}, 1);
    const notYet = evaluate({ history: before, newReports: twoMore, flag: actioned });
    expect(notYet.transitions).toEqual([]);
    expect(notYet.flag?.status).toBe('actioned');

    const third = aReport({ reportId: 'p-third', reporter: '+84987666666', receivedAt: T0 + 3 * HOUR });
    const reopened = evaluate({ history: [...before, ...twoMore], newReports: [third], flag: actioned });
    expect(reopened.transitions.map((t) => t.event?.type)).toEqual(['reopened']);
    expect(reopened.flag).toMatchObject({ status: 'open', takenAction: 'block_outgoing', severity: 'low' });
    expect(reopened.transitions[0].event?.evidence?.reportIds).toEqual(['s1-r01', 's1-r02', 'p-third']);
  });

  it('does not let reports a person already judged reopen a dismissed flag', () => {
    const before = reportsFromDistinctReporters(12);
    const opened = evaluate({ newReports: before });
    const result = dismissFlag(opened.flag as FlagState, { analyst: 'a', at: T0 + HOUR });
    if (!result.ok) throw new Error(result.refusal.message);
    const more = reportsFromDistinctReporters(12, T0 + 2 * HOUR, {}, 1);
    const medium = evaluate({ history: before, newReports: more, flag: result.transition.state });
    expect(medium.transitions).toEqual([]);
    const many = reportsFromDistinctReporters(30, T0 + 2 * HOUR, {}, 1);
    const high = evaluate({ history: before, newReports: many, flag: result.transition.state });
    expect(high.transitions.map((t) => [t.event?.type, t.state.severity])).toEqual([['reopened', 'high']]);
  });

  it('ignores a redelivered report already in history', () => {
    const reports = reportsFromDistinctReporters(3);
    const first = evaluate({ newReports: reports });
    const again = evaluate({ history: reports, newReports: reports, flag: first.flag });
    expect(again.transitions).toEqual([]);
    expect(again.freshReportIds).toEqual([]);
    expect(again.flag).toEqual(first.flag);
    expect(again.counts).toEqual(first.counts);
  });

  it('gives identical events and ids when the same batch is replayed from the same state', () => {
    const input = { newReports: reportsFromDistinctReporters(31).reverse() };
    expect(evaluate(input)).toEqual(evaluate(input));
  });

  it('puts a late report in its place in the timeline and evaluates the later moments again', () => {
    const [a, b, c] = reportsFromDistinctReporters(3);
    const inTime = evaluate({ newReports: [a, b, c] });
    const first = evaluate({ newReports: [b, c] });
    expect(first.flag).toBeNull();
    const withLate = evaluate({ history: [b, c], newReports: [a], flag: first.flag });
    expect(withLate.flag).toEqual(inTime.flag);
    expect(withLate.transitions).toEqual(inTime.transitions);
  });

  it('counts a late report towards the moments after it but not before it', () => {
    const [a, b, c, d] = reportsFromDistinctReporters(4);
    const lateD = { ...d, receivedAt: a.receivedAt - MINUTE, reportId: 'r00' };
    // d sorts first: at c's moment a, b, c and the late report are four distinct reporters
    const result = evaluate({ history: [a, b, c], newReports: [lateD] });
    expect(result.transitions.map((t) => [t.historyEntry.at, t.event?.evidence?.measured])).toEqual([
      [b.receivedAt, 3],
    ]);
  });

  it('returns no counts for a number without reports', () => {
    expect(evaluate({}).counts).toBeNull();
  });

  it('evaluates reports of the same millisecond one by one in report-id order', () => {
    const sameTime: WindowReport[] = reportsFromDistinctReporters(3).map((r) => ({ ...r, receivedAt: T0 }));
    const result = evaluate({ newReports: sameTime });
    expect(result.transitions[0].event?.evidence?.reportIds).toEqual(['r01', 'r02', 'r03']);
  });

  describe('reports entered by one agent', () => {
    const byAlice = (count: number) => reportsFromDistinctReporters(count, T0, { agentId: 'alice' });

    it('leave the flag at low however many reporters the agent typed in', () => {
      const result = evaluate({ newReports: byAlice(31) });
      expect(result.flag).toMatchObject({ status: 'open', severity: 'low', recommendedAction: 'watch' });
      expect(result.transitions.map((t) => t.state.severity)).toEqual(['low']);
    });

    it('say so in the evidence when the cap held a stronger rule back', () => {
      const onlyHigh = DEFAULT_RULES.filter((rule) => rule.id === 'distinct-30-24h');
      const result = evaluate({ rules: onlyHigh, newReports: byAlice(31) });
      expect(result.flag).toMatchObject({
        severity: 'low',
        ruleId: 'distinct-30-24h',
        recommendedAction: 'watch',
      });
      expect(result.transitions[0].event?.evidence?.cap).toMatchObject({
        agentId: 'alice',
        explanation: 'capped at low: all reports entered by one agent (alice)',
      });
    });

    it("stay at low when one SMS and a colleague's one report stand beside them", () => {
      const history = byAlice(30);
      const others = [
        ...reportsFromDistinctReporters(1, T0 + HOUR, {}, 1),
        ...reportsFromDistinctReporters(1, T0 + HOUR, { agentId: 'bob' }, 2),
      ];
      const first = evaluate({ newReports: history });
      const result = evaluate({ history, newReports: others, flag: first.flag });
      expect(result.flag).toMatchObject({ severity: 'low', recommendedAction: 'watch' });
    });

    it('rise as the rules say once the rule holds with the agent counted as one source', () => {
      const history = byAlice(30);
      const sms = reportsFromDistinctReporters(29, T0 + HOUR, {}, 1);
      const first = evaluate({ newReports: history });
      const result = evaluate({ history, newReports: sms, flag: first.flag });
      expect(result.flag).toMatchObject({ severity: 'high', ruleId: 'distinct-30-24h' });
      expect(result.transitions.at(-1)?.event?.evidence?.cap).toBeNull();
    });

    it('rise as the rules say when two agents each stand behind enough reports', () => {
      const bob = reportsFromDistinctReporters(29, T0 + HOUR, { agentId: 'bob' }, 1);
      const result = evaluate({ newReports: [...byAlice(30), ...bob] });
      expect(result.flag).toMatchObject({ severity: 'high' });
    });
  });
});
