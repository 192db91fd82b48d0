import { changedFields, changesKey, ruleFromForm } from './rule-edit.ts';
import type { RuleFields } from './admin-types.ts';

const rule: RuleFields = {
  name: '3 distinct reporters in 24 hours: watch',
  windowSeconds: 86_400,
  measure: 'distinct_reporters',
  kind: null,
  category: null,
  numberType: null,
  threshold: 3,
  severity: 'low',
  action: 'watch',
  enabled: true,
};

const form = (values: Record<string, string>) => new Map(Object.entries(values)) as unknown as FormData;
const asForm = (r: RuleFields, overrides: Record<string, string | null> = {}) => {
  const values: Record<string, string | null> = {
    name: r.name,
    windowSeconds: String(r.windowSeconds),
    measure: r.measure,
    kind: r.kind ?? '',
    category: r.category ?? '',
    numberType: r.numberType ?? '',
    threshold: String(r.threshold),
    severity: r.severity,
    action: r.action,
    enabled: r.enabled ? 'on' : null,
    ...overrides,
  };
  const data = new Map(Object.entries(values).filter(([, v]) => v !== null));
  return { get: (name: string) => data.get(name) ?? null };
};

describe('editing a rule', () => {
  it('reads the form as the rule it shows: empty choices are "any", an unticked box is off', () => {
    expect(ruleFromForm(asForm(rule))).toEqual(rule);
    expect(ruleFromForm(asForm(rule, { kind: 'scam_call', enabled: null, threshold: ' 5 ' }))).toEqual({
      ...rule,
      kind: 'scam_call',
      enabled: false,
      threshold: 5,
    });
    expect(ruleFromForm(asForm(rule, { threshold: '2.5' })).threshold).toBeNaN();
    expect(ruleFromForm(form({})).name).toBe('');
  });

  it('sends only what changed, and tells a previewed change from another', () => {
    expect(changedFields(rule, rule)).toEqual({});
    const lower = changedFields(rule, { ...rule, threshold: 2 });
    expect(lower).toEqual({ threshold: 2 });
    expect(changedFields(rule, { ...rule, kind: 'spam_sms', enabled: false })).toEqual({
      kind: 'spam_sms',
      enabled: false,
    });
    expect(changesKey(lower)).toBe(changesKey({ threshold: 2 }));
    expect(changesKey(lower)).not.toBe(changesKey({ threshold: 4 }));
    expect(changesKey({ threshold: 2, severity: 'high' })).toBe(
      changesKey({ severity: 'high', threshold: 2 }),
    );
  });
});
