import { checkSmsEnvelope } from './check-sms-envelope';

const SHORT_CODES = ['156', '5656'];

describe('checkSmsEnvelope', () => {
  it('gives the reporter as counted for a subscriber writing to one of our short codes', () => {
    expect(checkSmsEnvelope('84912345678', '5656', SHORT_CODES)).toMatchObject({
      ok: true,
      reporter: { e164: '+84912345678' },
    });
  });

  it('rejects a sender that is no number as invalid_sender', () => {
    expect(checkSmsEnvelope('Alice', '156', SHORT_CODES)).toEqual({
      ok: false,
      reason: 'invalid_sender',
      detail: 'the sender address is not a phone number (digits, perhaps after +)',
    });
  });

  it.each([
    ['another short code', '9029'],
    ['our short code behind a bidi control', '\u202e156'],
    ['a long string', '156'.repeat(10)],
    ['a number', '0912345678'],
  ])('rejects %s as invalid_short_code, naming it printably', (_what, to) => {
    const result = checkSmsEnvelope('0912345678', to, SHORT_CODES);
    expect(result).toMatchObject({ ok: false, reason: 'invalid_short_code' });
    expect(!result.ok && result.detail).toMatch(/^sent to "[^\u202e]*", not one of 156, 5656$/);
  });

  it('checks the short code first: a message to another service is none of ours, whoever sent it', () => {
    expect(checkSmsEnvelope('Alice', '9029', SHORT_CODES)).toMatchObject({ reason: 'invalid_short_code' });
  });
});
