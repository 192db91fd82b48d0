import { MOBILE_PREFIX_ALLOCATIONS, CARRIERS } from './carriers';
import { LEGACY_PREFIX_CONVERSIONS } from './legacy-prefixes';
import { DEFAULT_PROTECTED_SHORT_CODES } from './protected-numbers';
import { nationalFormOf, normalizeNumber } from './normalize-number';

describe('normalizeNumber', () => {
  it.each([
    '0912345678',
    '0912.345.678',
    '0912 345 678',
    '0912-345-678',
    '(0912) 345 678',
    '+84912345678',
    '+84 912 345 678',
    '(+84) 912-345-678',
    '84912345678',
    '0084912345678',
    '+840912345678',
    '912345678',
    '０９１２３４５６７８',
    '＋８４ ９１２ ３４５ ６７８',
    '٠٩١٢٣٤٥٦٧٨',
    ' 0912345678\u200b ',
  ])('canonicalises %j to +84912345678', (written) => {
    expect(normalizeNumber(written)).toEqual({
      ok: true,
      e164: '+84912345678',
      nationalNumber: '0912345678',
      numberType: 'mobile',
      carrier: 'vinaphone',
      convertedFromLegacy: false,
    });
  });

  it.each([
    ['0166 234 5678', '+84362345678', '0362345678', 'viettel'],
    ['+84 120 123 4567', '+84701234567', '0701234567', 'mobifone'],
    ['01271234567', '+84811234567', '0811234567', 'vinaphone'],
    ['841881234567', '+84581234567', '0581234567', 'vietnamobile'],
    ['01991234567', '+84591234567', '0591234567', 'gmobile'],
  ])('converts the pre-2018 number %j to %s', (written, e164, nationalNumber, carrier) => {
    expect(normalizeNumber(written)).toEqual({
      ok: true,
      e164,
      nationalNumber,
      numberType: 'mobile',
      carrier,
      convertedFromLegacy: true,
    });
  });

  it.each([
    ['024 3812 3456', '+842438123456', '02438123456', 'fixed_line'],
    ['0213 3123 456', '+842133123456', '02133123456', 'fixed_line'],
    ['1800 1234', '+8418001234', '18001234', 'toll_free'],
    ['1800123456', '+841800123456', '1800123456', 'toll_free'],
    ['1900 6789', '+8419006789', '19006789', 'premium'],
    ['+84 1900 123 456', '+841900123456', '1900123456', 'premium'],
    ['0672 123 456', '+84672123456', '0672123456', 'other'],
  ])(
    'gives %j the type of its numbering range and no carrier',
    (written, e164, nationalNumber, numberType) => {
      expect(normalizeNumber(written)).toEqual({
        ok: true,
        e164,
        nationalNumber,
        numberType,
        carrier: null,
        convertedFromLegacy: false,
      });
    },
  );

  it.each(['', '   ', '+', '-.-'])('says there is no number in %j', (written) => {
    expect(normalizeNumber(written)).toMatchObject({ ok: false, reason: 'no_number' });
  });

  it.each([
    ['letters', '0912abc678'],
    ['too few digits', '091234567'],
    ['too many digits', '09123456789'],
    ['another country', '+1 202 555 0100'],
    ['an international prefix to another country', '00912345678'],
    ['a fixed-line number of the wrong length', '0241234567'],
    ['an unallocated mobile range', '0551234567'],
    ['an input longer than any number', '0'.repeat(65)],
    ['a megabyte of digits', '9'.repeat(1_000_000)],
  ])('rejects %s as invalid', (_what, written) => {
    expect(normalizeNumber(written)).toMatchObject({ ok: false, reason: 'invalid_number' });
  });

  it.each([...DEFAULT_PROTECTED_SHORT_CODES, '+84 113', '0113'])('protects the short code %j', (written) => {
    expect(normalizeNumber(written)).toMatchObject({ ok: false, reason: 'protected_number' });
  });

  it('protects configured numbers in any notation and configured short codes', () => {
    const protectedNumbers = ['1800 1091', '+84 912 345 678', '9191'];
    expect(normalizeNumber('18001091', { protectedNumbers })).toMatchObject({ reason: 'protected_number' });
    expect(normalizeNumber('0912.345.678', { protectedNumbers })).toMatchObject({
      reason: 'protected_number',
    });
    expect(normalizeNumber('9191', { protectedNumbers })).toMatchObject({ reason: 'protected_number' });
    expect(normalizeNumber('0912345679', { protectedNumbers })).toMatchObject({ ok: true });
    expect(normalizeNumber('18001091')).toMatchObject({ ok: true, numberType: 'toll_free' });
  });

  it('returns a rejection, not an exception, for a value that is not a string', () => {
    expect(normalizeNumber(null as unknown as string)).toMatchObject({ ok: false, reason: 'no_number' });
  });
});

describe('nationalFormOf', () => {
  it('gives the national dialling form of canonical numbers', () => {
    expect(nationalFormOf('+84912345678')).toBe('0912345678');
    expect(nationalFormOf('+842438123456')).toBe('02438123456');
    expect(nationalFormOf('+8418001234')).toBe('18001234');
    expect(nationalFormOf('+1 202 555 0100')).toBeNull();
  });
});

describe('numbering data tables', () => {
  it('allocates every mobile prefix once, to a known carrier', () => {
    const prefixes = MOBILE_PREFIX_ALLOCATIONS.map((allocation) => allocation.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const allocation of MOBILE_PREFIX_ALLOCATIONS) {
      expect(allocation.prefix).toMatch(/^0[3-9][0-9]$/);
      expect(CARRIERS).toContain(allocation.carrier);
    }
  });

  it('converts every legacy prefix to an allocated prefix', () => {
    const allocated = new Set(MOBILE_PREFIX_ALLOCATIONS.map((allocation) => allocation.prefix));
    const legacyPrefixes = LEGACY_PREFIX_CONVERSIONS.map((conversion) => conversion.legacy);
    expect(new Set(legacyPrefixes).size).toBe(legacyPrefixes.length);
    for (const conversion of LEGACY_PREFIX_CONVERSIONS) {
      expect(conversion.legacy).toMatch(/^01[0-9]{2}$/);
      expect(allocated.has(conversion.current)).toBe(true);
    }
  });
});
