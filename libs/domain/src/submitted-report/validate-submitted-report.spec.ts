import { validateSubmittedReport } from './validate-submitted-report';

const VALID = {
  reporter: '0987 654 321',
  reportedNumber: '0912.345.678',
  kind: 'scam_call',
  description: '  Giả danh công an yêu cầu chuyển tiền  ',
  agentId: 'op-17',
  submittedAt: '2024-05-01T08:30:00+07:00',
  idempotencyKey: 'call-2024-05-01-0001',
};

function fieldErrorsOf(input: unknown): Array<{ field: string; code: string }> {
  const result = validateSubmittedReport(input);
  if (result.ok) throw new Error('expected a rejection');
  return result.fieldErrors.map(({ field, code }) => ({ field, code }));
}

describe('validateSubmittedReport', () => {
  it('normalises a complete report and categorises the description', () => {
    expect(validateSubmittedReport(VALID)).toEqual({
      ok: true,
      report: {
        kind: 'scam_call',
        reporter: '+84987654321',
        reportedNumber: '+84912345678',
        numberType: 'mobile',
        carrier: 'vinaphone',
        convertedFromLegacy: false,
        content: 'Giả danh công an yêu cầu chuyển tiền',
        category: 'impersonation',
        categoryKeyword: 'gia danh',
        agentId: 'op-17',
        submittedAt: '2024-05-01T01:30:00.000Z',
        idempotencyKey: 'call-2024-05-01-0001',
      },
    });
  });

  it('accepts the minimal report: optional fields become null and the category unknown', () => {
    expect(
      validateSubmittedReport({
        reporter: '0987654321',
        reportedNumber: '01662345678',
        kind: 'spam_call',
        agentId: 'op-1',
      }),
    ).toEqual({
      ok: true,
      report: {
        kind: 'spam_call',
        reporter: '+84987654321',
        reportedNumber: '+84362345678',
        numberType: 'mobile',
        carrier: 'viettel',
        convertedFromLegacy: true,
        content: null,
        category: 'unknown',
        categoryKeyword: null,
        agentId: 'op-1',
        submittedAt: null,
        idempotencyKey: null,
      },
    });
  });

  it("keeps the operator's category over the description's", () => {
    const result = validateSubmittedReport({ ...VALID, category: 'debt_collection' });
    expect(result).toMatchObject({
      ok: true,
      report: { category: 'debt_collection', categoryKeyword: null },
    });
  });

  it.each([null, undefined, 'V 0912345678', 42, [VALID], new Date()])(
    'refuses %p as not an object',
    (input) => {
      expect(fieldErrorsOf(input)).toEqual([{ field: '$', code: 'not_an_object' }]);
    },
  );

  it('names every missing required field', () => {
    expect(fieldErrorsOf({})).toEqual([
      { field: 'reporter', code: 'required' },
      { field: 'reportedNumber', code: 'required' },
      { field: 'kind', code: 'required' },
      { field: 'agentId', code: 'required' },
    ]);
  });

  it('names every field of the wrong type, with the type received', () => {
    const result = validateSubmittedReport({
      reporter: 987654321,
      reportedNumber: null,
      kind: ['spam_call'],
      category: 1,
      description: {},
      agentId: true,
      submittedAt: 1714523400000,
      idempotencyKey: 7,
    });
    expect(result).toEqual({
      ok: false,
      reason: 'invalid_fields',
      fieldErrors: [
        { field: 'reporter', code: 'wrong_type', message: 'reporter must be a string, got number' },
        { field: 'reportedNumber', code: 'wrong_type', message: 'reportedNumber must be a string, got null' },
        { field: 'kind', code: 'wrong_type', message: 'kind must be a string, got array' },
        { field: 'category', code: 'wrong_type', message: 'category must be a string, got number' },
        { field: 'description', code: 'wrong_type', message: 'description must be a string, got object' },
        { field: 'agentId', code: 'wrong_type', message: 'agentId must be a string, got boolean' },
        { field: 'submittedAt', code: 'wrong_type', message: 'submittedAt must be a string, got number' },
        {
          field: 'idempotencyKey',
          code: 'wrong_type',
          message: 'idempotencyKey must be a string, got number',
        },
      ],
    });
  });

  it('refuses unknown fields by name', () => {
    expect(fieldErrorsOf({ ...VALID, reporterName: 'Nguyen Van A', priority: 1 })).toEqual([
      { field: 'reporterName', code: 'unknown_field' },
      { field: 'priority', code: 'unknown_field' },
    ]);
  });

  it.each([
    ['an invalid reported number', { reportedNumber: '0912345' }, 'reportedNumber', 'invalid_number'],
    ['an invalid reporter', { reporter: 'khong ro' }, 'reporter', 'invalid_number'],
    ['a protected reported number', { reportedNumber: '113' }, 'reportedNumber', 'protected_number'],
    ['a self report', { reportedNumber: '+84 987 654 321' }, 'reportedNumber', 'self_report'],
    ['an unknown kind', { kind: 'spam' }, 'kind', 'invalid_value'],
    ['an unknown category', { category: 'fraud' }, 'category', 'invalid_value'],
    ['a description over the maximum', { description: 'a'.repeat(2_001) }, 'description', 'too_long'],
    ['a blank agent', { agentId: '   ' }, 'agentId', 'required'],
    ['an agent id over the maximum', { agentId: 'a'.repeat(65) }, 'agentId', 'too_long'],
    ['a date without time zone', { submittedAt: '2024-05-01T08:30:00' }, 'submittedAt', 'invalid_value'],
    ['a date that does not exist', { submittedAt: '2024-02-30T08:30:00Z' }, 'submittedAt', 'invalid_value'],
    ['a date that is not ISO 8601', { submittedAt: '01/05/2024 08:30' }, 'submittedAt', 'invalid_value'],
    ['an empty idempotency key', { idempotencyKey: '' }, 'idempotencyKey', 'invalid_value'],
    [
      'an idempotency key over the maximum',
      { idempotencyKey: 'k'.repeat(129) },
      'idempotencyKey',
      'too_long',
    ],
    [
      'an idempotency key with control characters',
      { idempotencyKey: 'a\nb' },
      'idempotencyKey',
      'invalid_value',
    ],
  ])('refuses %s', (_what, change, field, code) => {
    expect(fieldErrorsOf({ ...VALID, ...change })).toEqual([{ field, code }]);
  });

  it('accepts a leap day and fractions of a second', () => {
    const result = validateSubmittedReport({ ...VALID, submittedAt: '2024-02-29T23:59:59.123Z' });
    expect(result).toMatchObject({ ok: true, report: { submittedAt: '2024-02-29T23:59:59.123Z' } });
  });

  it('checks submittedAt against the clock it is given: at most 7 days old, 5 minutes ahead', () => {
    const now = new Date('2026-11-29T08:00:00Z');
    const at = (submittedAt: string) => validateSubmittedReport({ ...VALID, submittedAt }, { now });
    const problem = (message: string) => ({
      ok: false,
      reason: 'invalid_fields',
      fieldErrors: [{ field: 'submittedAt', code: 'invalid_value', message }],
    });
    expect(at('2026-11-29T08:05:00Z')).toMatchObject({ ok: true });
    expect(at('2026-11-22T08:00:00Z')).toMatchObject({ ok: true });
    expect(at('2026-11-29T08:05:00.001Z')).toEqual(problem('submittedAt must not be in the future'));
    expect(at('2026-11-22T07:59:59.999Z')).toEqual(problem('submittedAt must not be more than 7 days ago'));
    expect(at('1999-12-31T23:59:59Z')).toEqual(problem('submittedAt must not be more than 7 days ago'));
    // Without a clock, a time from another era is only checked for its form.
    expect(validateSubmittedReport({ ...VALID, submittedAt: '1999-12-31T23:59:59Z' })).toMatchObject({
      ok: true,
    });
  });

  it('takes the age bound it is configured with', () => {
    const now = new Date('2026-11-29T08:00:00Z');
    const check = (submittedAt: string) =>
      validateSubmittedReport({ ...VALID, submittedAt }, { now, maxAgeMs: 36 * 3_600_000 });
    expect(check('2026-11-27T20:00:00Z')).toMatchObject({ ok: true });
    expect(check('2026-11-27T19:59:59Z')).toMatchObject({
      ok: false,
      fieldErrors: [{ field: 'submittedAt', message: 'submittedAt must not be more than 36 hours ago' }],
    });
  });

  it.each([
    ['+84987654321', '+84987654321'],
    ['84987654321', '+84987654321'],
    ['0987 654 321', '+84987654321'],
    ['024 3826 5555', '+842438265555'],
  ])('counts the reporter %j as %j', (reporter, e164) => {
    expect(validateSubmittedReport({ ...VALID, reporter })).toMatchObject({
      ok: true,
      report: { reporter: e164 },
    });
  });

  it.each([
    ['a name', 'Alice'],
    ['a foreign number', '+1 415 555 0100'],
    ['a toll-free number', '1800 1091'],
    ['a premium number', '1900 123456'],
    ['an emergency short code', '113'],
    ['a number with a NUL', '0912345678\u0000'],
    ['a number with a bidi control', '\u202e0912345678'],
  ])('refuses %s as the reporter', (_what, reporter) => {
    expect(validateSubmittedReport({ ...VALID, reporter })).toEqual({
      ok: false,
      reason: 'invalid_fields',
      fieldErrors: [
        {
          field: 'reporter',
          code: 'invalid_number',
          message: 'reporter is not a Vietnamese mobile or fixed-line number',
        },
      ],
    });
  });

  it('removes bidi controls and other format characters from the description', () => {
    const result = validateSubmittedReport({
      ...VALID,
      description: 'tai \u202egnp.exe\u202c ve\u2066 \ufeffngay',
    });
    expect(result).toMatchObject({ ok: true, report: { content: 'tai gnp.exe ve ngay' } });
  });

  it.each([
    ['an agent id with a bidi control', { agentId: 'op\u202e-17' }, 'agentId'],
    ['an agent id with a lone surrogate', { agentId: 'op\ud800' }, 'agentId'],
    ['an idempotency key with a zero-width space', { idempotencyKey: 'call\u200b1' }, 'idempotencyKey'],
  ])('refuses %s', (_what, change, field) => {
    expect(fieldErrorsOf({ ...VALID, ...change })).toEqual([{ field, code: 'invalid_value' }]);
  });

  it('names a few unknown fields, printable and cut, and sums up the rest', () => {
    const flood = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`x${i}`, i]));
    const errors = fieldErrorsOf({ ...VALID, ['\u0000'.repeat(100)]: 1, ...flood });
    expect(errors).toHaveLength(11);
    expect(errors[0]).toEqual({ field: '\ufffd'.repeat(64), code: 'unknown_field' });
    expect(errors[10]).toEqual({ field: '$', code: 'unknown_field' });
    const result = validateSubmittedReport({ ...VALID, ...flood });
    expect(!result.ok && result.fieldErrors[10].message).toBe('4990 more unknown fields not named here');
  });

  it('applies configured protected numbers and description length', () => {
    expect(validateSubmittedReport(VALID, { protectedNumbers: ['0912345678'] })).toMatchObject({
      ok: false,
      fieldErrors: [{ field: 'reportedNumber', code: 'protected_number' }],
    });
    expect(validateSubmittedReport(VALID, { maxDescriptionLength: 10 })).toMatchObject({
      ok: false,
      fieldErrors: [{ field: 'description', code: 'too_long' }],
    });
  });

  it('reports all problems at once', () => {
    expect(fieldErrorsOf({ reporter: '0987654321', reportedNumber: '12', kind: 'x', extra: 1 })).toEqual([
      { field: 'extra', code: 'unknown_field' },
      { field: 'agentId', code: 'required' },
      { field: 'reportedNumber', code: 'invalid_number' },
      { field: 'kind', code: 'invalid_value' },
    ]);
  });
});
