import fc from 'fast-check';
import { evaluateNumber } from './evaluate-number';
import {
  FLAG_RECOMMENDATIONS,
  flagKindOf,
  INVESTIGATE_ORIGIN,
  mayTakeAction,
  recommendationFor,
} from './flag-kind';
import {
  actOnFlag,
  applyRuleFiring,
  claimFlag,
  dismissFlag,
  reopenRepeatOffender,
  TAKEN_ACTIONS,
  watchFlag,
  type FlagState,
  type FlagTransition,
} from './flag-state';
import { ESCALATION_LADDER } from './ladder';
import { DEFAULT_RULES, RECOMMENDED_ACTIONS, SEVERITIES, type Rule } from './rules';
import { DAY, HOUR, REPORTED, reportsFromDistinctReporters, T0 } from './spec-support';
import { countWindows } from './window-counts';

const BLOCKING = ESCALATION_LADDER;
const [LOW, , , HIGH] = DEFAULT_RULES;

const evidenceFor = (rule: Rule, at: number) => ({
  ruleId: rule.id,
  ruleVersion: rule.version,
  measured: rule.threshold,
  threshold: rule.threshold,
  counts: countWindows([], at),
  reportIds: [],
  reportsBehind: 0,
});

function fire(flag: FlagState | null, rule: Rule, at: number, protectedOriginator: boolean): FlagTransition {
  const transition = applyRuleFiring(REPORTED, flag, {
    rule,
    at,
    kind: flagKindOf(protectedOriginator),
    evidence: evidenceFor(rule, at),
  });
  if (transition === null) throw new Error('expected a transition');
  return transition;
}

function ok(result: ReturnType<typeof actOnFlag>): FlagTransition {
  if (!result.ok) throw new Error(result.refusal.message);
  return result.transition;
}

describe('the spoofing flag of a protected originator', () => {
  it('recommends investigating the origin whatever the rule recommends, and a normal flag what the rule does', () => {
    for (const action of RECOMMENDED_ACTIONS) {
      expect(recommendationFor('spoofing', action)).toBe(INVESTIGATE_ORIGIN);
      expect(recommendationFor('abuse', action)).toBe(action);
    }
    expect(FLAG_RECOMMENDATIONS).toContain(INVESTIGATE_ORIGIN);
    expect(RECOMMENDED_ACTIONS as readonly string[]).not.toContain(INVESTIGATE_ORIGIN);
  });

  it('opens as spoofing, in its event too, with the rule that fired but no block', () => {
    const opened = fire(null, HIGH, T0, true);
    expect(opened.state).toMatchObject({ kind: 'spoofing', severity: 'high', ruleId: HIGH.id });
    expect(HIGH.action).toBe('block_outgoing');
    expect(opened.state.recommendedAction).toBe(INVESTIGATE_ORIGIN);
    expect(opened.event).toMatchObject({
      type: 'opened',
      kind: 'spoofing',
      recommendedAction: INVESTIGATE_ORIGIN,
    });
    expect(opened.historyEntry.recommendedAction).toBe(INVESTIGATE_ORIGIN);
  });

  it('never recommends a block however it is raised, reopened or re-offended, for any rule', () => {
    const rule = fc.record({
      severity: fc.constantFrom(...SEVERITIES),
      action: fc.constantFrom(...RECOMMENDED_ACTIONS),
    });
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 8 }), (firings) => {
        let flag: FlagState | null = null;
        let at = T0;
        for (const [index, r] of firings.entries()) {
          at += HOUR;
          const firing: Rule = { ...LOW, id: `r${index}`, severity: r.severity, action: r.action };
          const fired = applyRuleFiring(REPORTED, flag, {
            rule: firing,
            at,
            kind: 'spoofing',
            evidence: evidenceFor(firing, at),
          });
          if (fired) flag = fired.state;
          // A person hands it to the police; new reporters come; the repeat job reopens it.
          if (flag?.status === 'open' && index % 3 === 2) {
            flag = ok(actOnFlag(flag, { analyst: 'a', at, action: 'refer_police' })).state;
            const again = reopenRepeatOffender(flag, { at: at + 1, newReporters: 5 });
            if (again.ok) flag = again.transition.state;
          }
          expect(flag?.recommendedAction).toBe(INVESTIGATE_ORIGIN);
        }
      }),
    );
  });

  it('refuses every action against the number, and lets a person refer it, dismiss it, claim it or watch it', () => {
    const flag = fire(null, HIGH, T0, true).state;
    for (const action of BLOCKING) {
      const refused = actOnFlag(flag, { analyst: 'a', at: T0 + HOUR, action });
      expect(refused).toMatchObject({ ok: false, refusal: { reason: 'spoofing_flag', command: 'act' } });
      expect(mayTakeAction('spoofing', action)).toBe(false);
    }
    expect(TAKEN_ACTIONS.filter((action) => mayTakeAction('spoofing', action))).toEqual(['refer_police']);
    expect(TAKEN_ACTIONS.every((action) => mayTakeAction('abuse', action))).toBe(true);
    expect(ok(actOnFlag(flag, { analyst: 'a', at: T0 + HOUR, action: 'refer_police' })).state.status).toBe(
      'actioned',
    );
    expect(ok(dismissFlag(flag, { analyst: 'a', at: T0 + HOUR })).state.status).toBe('dismissed');
    expect(ok(claimFlag(flag, { analyst: 'a', at: T0 + HOUR })).state.status).toBe('in_review');
    expect(ok(watchFlag(flag, { analyst: 'a', at: T0 + HOUR, until: T0 + DAY })).state.status).toBe(
      'watched',
    );
  });

  it('takes the kind of the list at each rule-made change: out of the list, the next rule makes it an abuse flag', () => {
    const spoofing = fire(null, LOW, T0, true).state;
    const raised = fire(spoofing, HIGH, T0 + HOUR, false).state;
    expect(raised).toMatchObject({ kind: 'abuse', recommendedAction: 'block_outgoing' });
    const normal = fire(null, LOW, T0, false).state;
    expect(fire(normal, HIGH, T0 + HOUR, true).state).toMatchObject({
      kind: 'spoofing',
      recommendedAction: INVESTIGATE_ORIGIN,
    });
  });
});

describe('evaluateNumber for a protected originator', () => {
  const fifty = reportsFromDistinctReporters(50);

  it('counts its reports and opens a spoofing flag where a normal number gets a block', () => {
    const spoofed = evaluateNumber({
      reportedNumber: REPORTED,
      allowlisted: false,
      protectedOriginator: true,
      rules: DEFAULT_RULES,
      history: [],
      newReports: fifty,
      flag: null,
    });
    expect(spoofed.counts?.windows[86_400].distinctReporters).toBe(50);
    expect(spoofed.flag).toMatchObject({
      kind: 'spoofing',
      severity: 'high',
      recommendedAction: INVESTIGATE_ORIGIN,
    });
    for (const t of spoofed.transitions) {
      expect(t.event?.kind).toBe('spoofing');
      expect(BLOCKING as readonly string[]).not.toContain(t.state.recommendedAction);
    }

    const normal = evaluateNumber({
      reportedNumber: REPORTED,
      allowlisted: false,
      rules: DEFAULT_RULES,
      history: [],
      newReports: fifty,
      flag: null,
    });
    expect(normal.flag).toMatchObject({
      kind: 'abuse',
      severity: 'high',
      recommendedAction: 'block_outgoing',
    });
  });

  it('flags it even when it is also allowlisted: the spoofing flag asks for nothing against it', () => {
    const result = evaluateNumber({
      reportedNumber: REPORTED,
      allowlisted: true,
      protectedOriginator: true,
      rules: DEFAULT_RULES,
      history: [],
      newReports: fifty,
      flag: null,
    });
    expect(result.flag?.kind).toBe('spoofing');
    const allowlistedOnly = evaluateNumber({
      reportedNumber: REPORTED,
      allowlisted: true,
      rules: DEFAULT_RULES,
      history: [],
      newReports: fifty,
      flag: null,
    });
    expect(allowlistedOnly.flag).toBeNull();
  });
});
