import {
  DECISION_KINDS,
  DEFAULT_DECISION_REASONS,
  decisionKindOf,
  FLAG_DECISIONS,
  MAX_REASONS_PER_KIND,
  parseDecisionReasons,
  REASON_CODE,
  reasonCodeRefusal,
} from './decision-reasons';

describe('decision reasons', () => {
  it('has a default list for every kind, of valid distinct codes', () => {
    for (const kind of DECISION_KINDS) {
      const list = DEFAULT_DECISION_REASONS[kind];
      expect(list.length).toBeGreaterThan(0);
      expect(new Set(list).size).toBe(list.length);
      expect(list.filter((code) => !REASON_CODE.test(code))).toEqual([]);
    }
  });

  it('puts every decision in one kind: the ladder and the police are acts', () => {
    expect(FLAG_DECISIONS.map((d) => [d, decisionKindOf(d)])).toEqual([
      ['warn', 'act'],
      ['block_outgoing', 'act'],
      ['block_both', 'act'],
      ['suspend', 'act'],
      ['refer_police', 'act'],
      ['dismiss', 'dismiss'],
      ['watch', 'watch'],
      ['reopen', 'reopen'],
    ]);
  });

  it('keeps the defaults for blank text and for kinds left out', () => {
    expect(parseDecisionReasons('')).toEqual({ ok: true, reasons: DEFAULT_DECISION_REASONS });
    const parsed = parseDecisionReasons(' dismiss = business_line , clinic ; ');
    expect(parsed).toEqual({
      ok: true,
      reasons: { ...DEFAULT_DECISION_REASONS, dismiss: ['business_line', 'clinic'] },
    });
  });

  it.each([
    ['dismiss', 'is not kind=code'],
    ['dismiss=a=b', 'is not kind=code'],
    ['ignore=not_abuse', 'is not a kind of decision'],
    ['dismiss=Not Abuse', 'reason code "Not Abuse"'],
    ['dismiss=', 'reason code ""'],
    ['dismiss=x1,x1', 'twice'],
    ['dismiss=a1;dismiss=b1', 'given twice'],
    [`act=${Array.from({ length: MAX_REASONS_PER_KIND + 1 }, (_, i) => `r${i}`).join(',')}`, 'at most'],
  ])('refuses %j, saying why', (text, why) => {
    const parsed = parseDecisionReasons(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(why);
  });

  it("accepts a code of the decision's kind only, naming the ones it may be", () => {
    expect(reasonCodeRefusal(DEFAULT_DECISION_REASONS, 'suspend', 'confirmed_scam')).toBeNull();
    expect(reasonCodeRefusal(DEFAULT_DECISION_REASONS, 'watch', 'too_few_reports')).toBeNull();
    const refusal = reasonCodeRefusal(DEFAULT_DECISION_REASONS, 'dismiss', 'confirmed_scam');
    expect(refusal).toContain('not a reason for dismiss');
    expect(refusal).toContain('not_abuse');
  });
});
