import {
  cappedRule,
  measureWithAgentAsOne,
  severityCeilingOf,
  severityCapFor,
  singleSourceExplanation,
  soleAgentOf,
  sourceOf,
} from './independent-sources';
import { DEFAULT_RULES } from './rules';
import { reportsFromDistinctReporters } from './spec-support';

const rule = (id: string) => {
  const found = DEFAULT_RULES.find((r) => r.id === id);
  if (!found) throw new Error(id);
  return found;
};

describe('independent sources', () => {
  it('takes the agent, not the reporter typed in, as the source of a hotline report', () => {
    const [a, b] = reportsFromDistinctReporters(2, undefined, { agentId: 'alice' });
    expect(sourceOf(a)).toBe('agent:alice');
    expect(sourceOf(a)).toBe(sourceOf(b));
    const [sms] = reportsFromDistinctReporters(1);
    expect(sourceOf(sms)).toBe(`reporter:${sms.reporter}`);
  });

  it('finds the sole agent only when every report is theirs', () => {
    const alice = reportsFromDistinctReporters(3, undefined, { agentId: 'alice' });
    expect(soleAgentOf(alice)).toBe('alice');
    expect(soleAgentOf([...alice, ...reportsFromDistinctReporters(1, undefined, {}, 1)])).toBeNull();
    expect(
      soleAgentOf([...alice, ...reportsFromDistinctReporters(1, undefined, { agentId: 'bob' }, 1)]),
    ).toBeNull();
    expect(soleAgentOf([])).toBeNull();
  });

  it('caps a rule above low at low, watching, when one agent entered every report behind it', () => {
    const high = rule('distinct-30-24h');
    const cap = severityCapFor(high, reportsFromDistinctReporters(31, undefined, { agentId: 'alice' }));
    expect(cap).toEqual({
      severity: 'low',
      reason: 'single_agent',
      agentId: 'alice',
      explanation: 'capped at low: all reports entered by one agent (alice)',
    });
    expect(cappedRule(high, cap)).toMatchObject({ id: high.id, severity: 'low', action: 'watch' });
    expect(cappedRule(high, null)).toBe(high);
  });

  it('leaves a low rule alone, and a rule met with each agent counted as one source', () => {
    const byAlice = reportsFromDistinctReporters(31, undefined, { agentId: 'alice' });
    expect(severityCapFor(rule('distinct-3-24h'), byAlice)).toBeNull();
    const withSms = [...byAlice, ...reportsFromDistinctReporters(29, undefined, {}, 1)];
    expect(severityCapFor(rule('distinct-30-24h'), withSms)).toBeNull();
    const withBob = [...byAlice, ...reportsFromDistinctReporters(29, undefined, { agentId: 'bob' }, 1)];
    expect(severityCapFor(rule('distinct-30-24h'), withBob)).toBeNull();
  });

  it("still caps when one SMS or a colleague's one report is all that stands beside the agent", () => {
    const byAlice = reportsFromDistinctReporters(31, undefined, { agentId: 'alice' });
    const leaning = {
      severity: 'low',
      reason: 'single_agent',
      agentId: 'alice',
      explanation:
        'capped at low: the rule is met only while the reports one agent entered (alice) count as more than one source',
    };
    const oneSms = [...byAlice, ...reportsFromDistinctReporters(1, undefined, {}, 1)];
    expect(severityCapFor(rule('distinct-30-24h'), oneSms)).toEqual(leaning);
    const bobOnce = [...oneSms, ...reportsFromDistinctReporters(1, undefined, { agentId: 'bob' }, 2)];
    expect(severityCapFor(rule('distinct-30-24h'), bobOnce)).toEqual(leaning);
  });

  it('counts an agent as one source for a rule that counts reports too', () => {
    const reportsRule = { ...rule('distinct-30-24h'), measure: 'reports' as const };
    const byAlice = reportsFromDistinctReporters(40, undefined, { agentId: 'alice' });
    const fromSms = reportsFromDistinctReporters(28, undefined, {}, 1);
    expect(measureWithAgentAsOne(reportsRule, [...byAlice, ...fromSms], 'alice')).toBe(29);
    expect(severityCapFor(reportsRule, [...byAlice, ...fromSms])?.agentId).toBe('alice');
    const oneMore = reportsFromDistinctReporters(1, undefined, {}, 2);
    expect(severityCapFor(reportsRule, [...byAlice, ...fromSms, ...oneMore])).toBeNull();
  });

  it('explains a flag whose reports all come from one agent', () => {
    expect(singleSourceExplanation({ smsReporters: 0, agents: [{ agentId: 'alice', reports: 31 }] })).toBe(
      'capped at low: all reports entered by one agent (alice)',
    );
    expect(
      singleSourceExplanation({ smsReporters: 1, agents: [{ agentId: 'alice', reports: 31 }] }),
    ).toBeNull();
    expect(
      singleSourceExplanation({
        smsReporters: 0,
        agents: [
          { agentId: 'alice', reports: 30 },
          { agentId: 'bob', reports: 1 },
        ],
      }),
    ).toBeNull();
    expect(singleSourceExplanation({ smsReporters: 3, agents: [] })).toBeNull();
  });

  it('reads the ceiling from stored evidence, and nothing from evidence it does not recognise', () => {
    expect(severityCeilingOf({ cap: { severity: 'low', agentId: 'alice' } })).toBe('low');
    expect(severityCeilingOf({ cap: null })).toBeUndefined();
    expect(severityCeilingOf({ cap: { severity: 'extreme' } })).toBeUndefined();
    expect(severityCeilingOf(null)).toBeUndefined();
  });
});
