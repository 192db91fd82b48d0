import { DEFAULT_RULES, RECOMMENDED_ACTIONS, SEVERITIES, WINDOWS } from './rules';
import { validateRule, validateRuleSet } from './validate-rule';

const VALID = {
  id: 'distinct-3-24h',
  version: 2,
  name: '3 distinct reporters in 24 hours',
  windowSeconds: 86_400,
  measure: 'distinct_reporters',
  threshold: 3,
  severity: 'low',
  action: 'watch',
  enabled: true,
};

function errorsOf(input: unknown): Array<{ field: string; code: string }> {
  const result = validateRule(input);
  if (result.ok) throw new Error('expected a rejection');
  return result.fieldErrors.map(({ field, code }) => ({ field, code }));
}

describe('rule constants', () => {
  it('orders severities weakest first and actions as an escalation ladder', () => {
    expect(SEVERITIES).toEqual(['low', 'medium', 'high']);
    expect(RECOMMENDED_ACTIONS).toEqual(['watch', 'warn', 'block_outgoing', 'block_both', 'suspend']);
    expect(WINDOWS).toEqual([3_600, 86_400, 604_800, 2_592_000]);
  });

  it('seeds valid default rules with distinct ids', () => {
    expect(validateRuleSet(DEFAULT_RULES.map((rule) => ({ ...rule })))).toMatchObject({ ok: true });
    expect(DEFAULT_RULES.map((rule) => rule.id)).toEqual([
      'distinct-3-24h',
      'distinct-10-24h',
      'distinct-20-7d',
      'distinct-30-24h',
      'scam-distinct-5-24h',
    ]);
  });
});

describe('validateRule', () => {
  it('accepts a complete rule and turns absent filters into null', () => {
    expect(validateRule(VALID)).toEqual({
      ok: true,
      rule: { ...VALID, kind: null, category: null, numberType: null },
    });
  });

  it('accepts filters given as values or null', () => {
    const result = validateRule({ ...VALID, kind: 'scam_call', category: null, numberType: 'mobile' });
    expect(result).toMatchObject({
      ok: true,
      rule: { kind: 'scam_call', category: null, numberType: 'mobile' },
    });
  });

  it('rejects something that is not an object', () => {
    expect(errorsOf([VALID])).toEqual([{ field: '$', code: 'not_an_object' }]);
    expect(errorsOf(null)).toEqual([{ field: '$', code: 'not_an_object' }]);
  });

  it('reports every missing field', () => {
    expect(errorsOf({}).map((error) => error.field)).toEqual([
      'id',
      'version',
      'name',
      'windowSeconds',
      'measure',
      'threshold',
      'severity',
      'action',
      'enabled',
    ]);
  });

  it('rejects a window that is not one of the four windows', () => {
    expect(errorsOf({ ...VALID, windowSeconds: 7_200 })).toEqual([
      { field: 'windowSeconds', code: 'invalid_value' },
    ]);
    expect(errorsOf({ ...VALID, windowSeconds: '86400' })).toEqual([
      { field: 'windowSeconds', code: 'invalid_value' },
    ]);
  });

  it('rejects thresholds and versions that are not whole numbers of at least 1', () => {
    expect(errorsOf({ ...VALID, threshold: 0, version: 1.5 })).toEqual([
      { field: 'version', code: 'invalid_value' },
      { field: 'threshold', code: 'invalid_value' },
    ]);
    expect(errorsOf({ ...VALID, threshold: '3' })).toEqual([{ field: 'threshold', code: 'wrong_type' }]);
  });

  it('rejects unknown values of measure, filters, severity and action', () => {
    expect(
      errorsOf({
        ...VALID,
        measure: 'calls',
        kind: 'fax',
        category: 'spam',
        numberType: 'satellite',
        severity: 'critical',
        action: 'ban',
      }),
    ).toEqual([
      { field: 'measure', code: 'invalid_value' },
      { field: 'kind', code: 'invalid_value' },
      { field: 'category', code: 'invalid_value' },
      { field: 'numberType', code: 'invalid_value' },
      { field: 'severity', code: 'invalid_value' },
      { field: 'action', code: 'invalid_value' },
    ]);
  });

  it('rejects unknown fields, blank names, bad ids and a non-boolean switch', () => {
    expect(errorsOf({ ...VALID, id: 'Has Spaces', name: '  ', enabled: 'yes', weight: 2 })).toEqual([
      { field: 'weight', code: 'unknown_field' },
      { field: 'id', code: 'invalid_value' },
      { field: 'name', code: 'required' },
      { field: 'enabled', code: 'wrong_type' },
    ]);
  });

  it('rejects a name that is too long', () => {
    expect(errorsOf({ ...VALID, name: 'x'.repeat(201) })).toEqual([{ field: 'name', code: 'too_long' }]);
  });
});

describe('validateRuleSet', () => {
  it('rejects something that is not an array', () => {
    expect(validateRuleSet(VALID)).toMatchObject({
      ok: false,
      fieldErrors: [{ field: '$', code: 'wrong_type' }],
    });
  });

  it('names the position of each bad rule and rejects a repeated id', () => {
    const result = validateRuleSet([VALID, { ...VALID, threshold: -1 }, { ...VALID }, 'rule']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: '[1].threshold', code: 'invalid_value' },
      { field: '[2].id', code: 'invalid_value' },
      { field: '[3]', code: 'not_an_object' },
    ]);
  });
});
