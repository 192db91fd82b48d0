import { decodeRawSms } from './raw-sms.schema';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
const good = {
  messageId: 'gw-1',
  from: '0912345678',
  to: '156',
  text: 'V 0987654321 lua dao',
  receivedAt: '2026-11-29T07:00:00+07:00',
};

describe('decodeRawSms', () => {
  it('accepts a gateway message and reads its time with the zone', () => {
    const result = decodeRawSms(encode(good));
    expect(result).toEqual({ ok: true, value: { ...good, receivedAt: new Date('2026-11-29T00:00:00Z') } });
  });

  it('ignores fields it does not know', () => {
    const result = decodeRawSms(encode({ ...good, smscId: 'x' }));
    expect(result.ok && 'smscId' in result.value).toBe(false);
  });

  it('rejects a value that is not JSON', () => {
    expect(decodeRawSms(Buffer.from('{"messageId":'))).toMatchObject({ ok: false, reason: 'invalid_json' });
  });

  it('rejects an empty value', () => {
    expect(decodeRawSms(null)).toMatchObject({ ok: false, reason: 'empty_message' });
    expect(decodeRawSms(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'empty_message' });
  });

  it('names each missing or mistyped field', () => {
    const result = decodeRawSms(encode({ ...good, messageId: undefined, text: 42 }));
    expect(result).toMatchObject({ ok: false, reason: 'invalid_fields' });
    expect(!result.ok && result.detail).toMatch(/messageId: .*; text: /);
  });

  it('rejects a time without a zone, which would be read in the server zone', () => {
    expect(decodeRawSms(encode({ ...good, receivedAt: '2026-11-29T07:00:00' }))).toMatchObject({
      ok: false,
      reason: 'invalid_fields',
    });
  });

  it.each([
    ['year 0000, which PostgreSQL refuses', '0000-01-01T00:00:00Z', /before 2000/],
    ['the epoch, a gateway clock that lost its time', '1970-01-01T00:00:00Z', /before 2000/],
    ['two days ahead of the clock', new Date(Date.now() + 48 * 3_600_000).toISOString(), /24 hours ahead/],
  ])('dead-letters a time from a broken clock: %s', (_, receivedAt, problem) => {
    const result = decodeRawSms(encode({ ...good, receivedAt }));
    expect(result).toMatchObject({ ok: false, reason: 'invalid_fields' });
    expect(!result.ok && result.detail).toMatch(problem);
    expect(!result.ok && result.detail).toMatch(/^receivedAt: /);
  });

  it('rejects JSON that is not an object', () => {
    expect(decodeRawSms(encode([1, 2]))).toMatchObject({ ok: false, reason: 'invalid_fields' });
    expect(decodeRawSms(Buffer.from('null'))).toMatchObject({ ok: false, reason: 'invalid_fields' });
  });

  it.each([
    [
      'a NUL in from',
      { from: '0912345678\u0000' },
      'from: must not contain control characters or lone surrogates',
    ],
    ['an escape in to', { to: '156\u001b[2J' }, 'to: must not contain control characters or lone surrogates'],
    [
      'a lone surrogate in from',
      { from: '\ud800' },
      'from: must not contain control characters or lone surrogates',
    ],
    [
      'a bidi control in the id',
      { messageId: 'gw\u202e1' },
      'messageId: must not contain control or invisible characters or lone surrogates',
    ],
    ['an over-long from', { from: '9'.repeat(65) }, 'from: must be at most 64 characters'],
  ])('dead-letters a message with %s, which no gateway writes', (_what, change, detail) => {
    expect(decodeRawSms(encode({ ...good, ...change }))).toEqual({
      ok: false,
      reason: 'invalid_fields',
      detail,
    });
  });

  it('leaves a sender that is no number, and a text with a NUL, to be decided by ingest', () => {
    const result = decodeRawSms(
      encode({ ...good, from: 'Alice', to: '\u202e156', text: 'V 0987654321 a\u0000b' }),
    );
    expect(result).toMatchObject({ ok: true, value: { from: 'Alice', to: '\u202e156' } });
  });
});
