import { matchingRules, measureRule, reportsBehind } from './evaluate-rules';
import { DEFAULT_RULES, type Rule } from './rules';
import { aReport, HOUR, MINUTE, reportsFromDistinctReporters, T0 } from './spec-support';

const THREE_IN_24H = DEFAULT_RULES[0];

function rule(fields: Partial<Rule>): Rule {
  return { ...THREE_IN_24H, ...fields };
}

describe('matchingRules', () => {
  it('fires at the third distinct reporter and not at the second', () => {
    const reports = reportsFromDistinctReporters(3);
    expect(matchingRules(DEFAULT_RULES, reports.slice(0, 2), T0 + MINUTE)).toEqual([]);
    expect(matchingRules(DEFAULT_RULES, reports, T0 + 2 * MINUTE)).toEqual([
      { rule: THREE_IN_24H, measured: 3 },
    ]);
  });

  it('counts the same reporter once for a distinct-reporters rule and every time for a reports rule', () => {
    const tenTimes = Array.from({ length: 10 }, (_, index) =>
      aReport({ reportId: `same-${index}`, receivedAt: T0 + index * MINUTE }),
    );
    const at = T0 + HOUR - 1;
    expect(matchingRules(DEFAULT_RULES, tenTimes, at)).toEqual([]);
    expect(measureRule(rule({ measure: 'reports' }), tenTimes, at)).toBe(10);
  });

  it('gives suspicious reporters no weight', () => {
    const reports = [
      ...reportsFromDistinctReporters(2),
      ...reportsFromDistinctReporters(50, T0 + HOUR, { weighted: false }, 1),
    ];
    expect(matchingRules(DEFAULT_RULES, reports, T0 + 2 * HOUR)).toEqual([]);
  });

  it('applies kind, category and number-type filters, and skips disabled rules', () => {
    const reports = reportsFromDistinctReporters(5, T0, { kind: 'scam_call', category: 'impersonation' });
    const at = T0 + HOUR;
    const rules = [
      rule({ id: 'scam', kind: 'scam_call', threshold: 5 }),
      rule({ id: 'sms', kind: 'spam_sms' }),
      rule({ id: 'impersonation', category: 'impersonation' }),
      rule({ id: 'gambling', category: 'gambling' }),
      rule({ id: 'fixed', numberType: 'fixed_line' }),
      rule({ id: 'off', enabled: false }),
    ];
    expect(matchingRules(rules, reports, at).map((match) => match.rule.id)).toEqual([
      'scam',
      'impersonation',
    ]);
  });

  it('orders matches strongest first: severity, then threshold, then id', () => {
    const reports = reportsFromDistinctReporters(35, T0, { kind: 'scam_call' });
    const at = T0 + HOUR;
    expect(matchingRules(DEFAULT_RULES, reports, at).map((match) => match.rule.id)).toEqual([
      'distinct-30-24h',
      'scam-distinct-5-24h',
      'distinct-20-7d',
      'distinct-10-24h',
      'distinct-3-24h',
    ]);
  });
});

describe('reportsBehind', () => {
  it('lists each reporter first report in the window for a distinct-reporters rule', () => {
    const reports = [
      aReport({ reportId: 'a1', reporter: '+84987000001', receivedAt: T0 }),
      aReport({ reportId: 'a2', reporter: '+84987000001', receivedAt: T0 + 1 }),
      aReport({ reportId: 'b1', reporter: '+84987000002', receivedAt: T0 + 2 }),
      aReport({ reportId: 'u1', reporter: '+84987000003', receivedAt: T0 + 3, weighted: false }),
    ];
    expect(reportsBehind(THREE_IN_24H, reports, T0 + 10)).toEqual({ reportIds: ['a1', 'b1'], total: 2 });
    expect(reportsBehind(rule({ measure: 'reports' }), reports, T0 + 10)).toEqual({
      reportIds: ['a1', 'a2', 'b1'],
      total: 3,
    });
  });

  it('keeps at most the limit of ids but the whole total', () => {
    const reports = reportsFromDistinctReporters(60);
    const behind = reportsBehind(THREE_IN_24H, reports, T0 + 2 * HOUR);
    expect(behind.total).toBe(60);
    expect(behind.reportIds).toHaveLength(50);
    expect(behind.reportIds[0]).toBe('r01');
  });
});
