import { reporterNumber, smsSenderNumber } from './reporter-number';

describe('smsSenderNumber', () => {
  it.each(['84912345678', '+84912345678', '0912345678', '912345678'])(
    'reads the gateway address %j as the subscriber +84912345678',
    (address) => {
      expect(smsSenderNumber(address)).toMatchObject({
        ok: true,
        number: { e164: '+84912345678', numberType: 'mobile' },
      });
    },
  );

  it('takes a fixed line, which can send SMS through some services', () => {
    expect(smsSenderNumber('02438265555')).toMatchObject({ ok: true, number: { e164: '+842438265555' } });
  });

  it.each([
    ['a name', 'Alice'],
    ['a written-out number', '0912 345 678'],
    ['a number behind a bidi control', '\u202e0912345678'],
    ['a number with a zero-width space', '0912\u200b345678'],
    ['full-width digits', '０９１２３４５６７８'],
    ['a foreign number', '+14155550100'],
    ['a toll-free number', '18001091'],
    ['a premium number', '1900123456'],
    ['an emergency short code', '113'],
    ['a reporting short code', '156'],
    ['a number not in the plan', '0890123456'],
    ['nothing', ''],
  ])('refuses %s', (_what, address) => {
    expect(smsSenderNumber(address)).toMatchObject({ ok: false });
  });
});

describe('reporterNumber', () => {
  it.each(['0912 345 678', '(+84) 912-345-678', '０９１２３４５６７８', '0912.345.678'])(
    'reads %j as a person writes it',
    (written) => {
      expect(reporterNumber(written)).toMatchObject({ ok: true, number: { e164: '+84912345678' } });
    },
  );

  it('says why a service number is no reporter', () => {
    expect(reporterNumber('1800 1091')).toEqual({ ok: false, detail: 'a toll_free number is no subscriber' });
  });
});
