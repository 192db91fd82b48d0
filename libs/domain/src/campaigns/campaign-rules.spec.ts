import { CAMPAIGN_RULE_FIELDS, DEFAULT_CAMPAIGN_RULES, validateCampaignRules } from './campaign-rules';

const problemsOf = (input: unknown) => {
  const result = validateCampaignRules(input);
  return result.ok ? [] : result.fieldErrors.map((error) => `${error.field}:${error.code}`);
};

describe('validateCampaignRules', () => {
  it('accepts the defaults and returns them field for field', () => {
    expect(validateCampaignRules({ ...DEFAULT_CAMPAIGN_RULES })).toEqual({
      ok: true,
      rules: DEFAULT_CAMPAIGN_RULES,
    });
    expect(Object.keys(DEFAULT_CAMPAIGN_RULES).sort()).toEqual([...CAMPAIGN_RULE_FIELDS].sort());
  });

  it('refuses what is not an object', () => {
    expect(validateCampaignRules([1])).toEqual({
      ok: false,
      reason: 'invalid_campaign_rules',
      fieldErrors: [
        { field: '$', code: 'not_an_object', message: 'campaign rules must be a JSON object, got array' },
      ],
    });
    expect(problemsOf(null)).toEqual(['$:not_an_object']);
  });

  it('reports every problem at once: missing, wrong type, out of bounds, unknown', () => {
    const { contentSimilarity: _dropped, ...rest } = DEFAULT_CAMPAIGN_RULES;
    expect(
      problemsOf({ ...rest, blockPrefixDigits: '7', minMembers: 1, onsetWithinHours: 1.5, colour: 'red' }),
    ).toEqual([
      'colour:unknown_field',
      'contentSimilarity:required',
      'blockPrefixDigits:wrong_type',
      'onsetWithinHours:invalid_value',
      'minMembers:invalid_value',
    ]);
  });

  it.each([
    ['contentSimilarity', 0.49],
    ['contentSimilarity', 1.01],
    ['contentSimilarity', Number.NaN],
    ['blockPrefixDigits', 5],
    ['blockPrefixDigits', 9],
    ['sharedReportersMin', 1],
    ['nextSimMinReporters', 1],
    ['version', 0],
    ['blockWithinDays', Infinity],
  ])('refuses %s = %p', (field, value) => {
    expect(problemsOf({ ...DEFAULT_CAMPAIGN_RULES, [field]: value })).toEqual([`${field}:invalid_value`]);
  });

  it('accepts a fractional similarity and the bounds themselves', () => {
    expect(problemsOf({ ...DEFAULT_CAMPAIGN_RULES, contentSimilarity: 0.5, blockPrefixDigits: 8 })).toEqual(
      [],
    );
  });

  it('refuses weights that let one supporting signal join two numbers alone', () => {
    const result = validateCampaignRules({ ...DEFAULT_CAMPAIGN_RULES, numberBlockWeight: 2 });
    expect(result).toEqual({
      ok: false,
      reason: 'invalid_campaign_rules',
      fieldErrors: [
        {
          field: 'numberBlockWeight',
          code: 'invalid_value',
          message:
            'numberBlockWeight must be below minLinkScore (2): one supporting signal alone must not join two numbers',
        },
      ],
    });
    // Content alone may join: near-identical informative text is the strong signal.
    expect(problemsOf({ ...DEFAULT_CAMPAIGN_RULES, contentWeight: 5 })).toEqual([]);
  });

  it('refuses a minimum score no link can reach, and high severity below the minimum size', () => {
    expect(problemsOf({ ...DEFAULT_CAMPAIGN_RULES, minLinkScore: 6 })).toEqual([
      'minLinkScore:invalid_value',
    ]);
    expect(problemsOf({ ...DEFAULT_CAMPAIGN_RULES, minMembers: 5, highSeverityMembers: 4 })).toEqual([
      'highSeverityMembers:invalid_value',
    ]);
  });
});
