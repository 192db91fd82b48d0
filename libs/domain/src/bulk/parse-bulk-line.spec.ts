import fc from 'fast-check';
import { hostileString } from '../../spec-support/arbitraries';
import { parseBulkLine } from './parse-bulk-line';

const line = (fields: Record<string, unknown>): string => JSON.stringify(fields);

describe('parseBulkLine', () => {
  it('gives the output object of an accepted report, fields in the documented order', () => {
    const output = parseBulkLine(line({ text: 'V 0912 345 678 nhá máy', from: '0987654321', to: '156' }));
    expect(JSON.stringify(output)).toBe(
      '{"ok":true,"kind":"spam_call","reportedNumber":"+84912345678","numberType":"mobile",' +
        '"carrier":"vinaphone","category":"missed_call_bait","content":"nhá máy"}',
    );
  });

  it('gives the rejection reason of the parser', () => {
    expect(parseBulkLine(line({ text: 'Xin chao', from: '0987654321', to: '156' }))).toEqual({
      ok: false,
      reason: 'no_keyword',
    });
    expect(parseBulkLine(line({ text: 'DK DNC', from: '0987654321', to: '5656' }))).toEqual({
      ok: false,
      reason: 'not_a_report',
    });
  });

  it('uses the sender as reporter to find self reports', () => {
    expect(parseBulkLine(line({ text: 'V 0987.654.321', from: '84987654321', to: '156' }))).toEqual({
      ok: false,
      reason: 'self_report',
    });
  });

  it('passes the maximum length and protected numbers on to the parser', () => {
    const input = line({ text: 'V 0912345678 goi lam phien', from: '0987654321', to: '156' });
    expect(parseBulkLine(input, { maxLength: 10 })).toEqual({ ok: false, reason: 'too_long' });
    expect(parseBulkLine(input, { protectedNumbers: ['0912345678'] })).toEqual({
      ok: false,
      reason: 'protected_number',
    });
  });

  it('ignores fields other than text, from and to', () => {
    expect(
      parseBulkLine(line({ id: 7, text: 'S 0912345678', from: '0987654321', to: '156', at: 1 })),
    ).toMatchObject({
      ok: true,
      kind: 'spam_sms',
    });
  });

  it.each(['', '{', 'not json', '{"text":}', "{'text':'V 0912345678'}", '{"text":"V"}}'])(
    'says invalid_json for %j',
    (input) => {
      expect(parseBulkLine(input)).toEqual({ ok: false, reason: 'invalid_json' });
    },
  );

  it.each([
    'null',
    '[]',
    '"V 0912345678"',
    '42',
    '{}',
    '{"text":"V 0912345678","from":"0987654321"}',
    '{"text":1,"from":"0987654321","to":"156"}',
    '{"text":"V 0912345678","from":987654321,"to":"156"}',
    '{"text":"V 0912345678","from":"0987654321","to":null}',
  ])('says invalid_fields for %s', (input) => {
    expect(parseBulkLine(input)).toEqual({ ok: false, reason: 'invalid_fields' });
  });

  it('gives an output object for any line, JSON or not', () => {
    const anyLine = fc.oneof(
      hostileString,
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc
        .record({ text: hostileString, from: hostileString, to: fc.constantFrom('156', '5656') })
        .map((fields) => JSON.stringify(fields)),
    );
    fc.assert(
      fc.property(anyLine, (input) => {
        const output = parseBulkLine(input);
        expect(typeof output.ok).toBe('boolean');
        if (!output.ok) expect(output.reason).not.toBe('internal_error');
      }),
      { numRuns: 2_000 },
    );
  });
});
