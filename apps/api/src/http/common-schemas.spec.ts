import { isoDate, isoDateTime } from './common-schemas';

describe('isoDateTime', () => {
  it.each([
    '2026-11-29T08:00:00+07:00',
    '2026-11-29T01:00:00Z',
    '2026-11-29T01:00:00.123456789Z',
    '1970-01-01T00:00:00Z',
    '2999-12-31T23:59:59+14:00',
  ])('accepts %p', (text) => {
    expect(isoDateTime.safeParse(text).success).toBe(true);
  });

  it.each([
    ['2026-11-29T01:00:00.' + '1'.repeat(10) + 'Z', 'ten fraction digits'],
    ['2026-11-29T01:00:00.' + '9'.repeat(130) + 'Z', 'a fraction PostgreSQL refuses'],
    ['9999-12-31T23:59:59Z', 'year 9999'],
    ['9999-12-31T23:59:59-14:00', 'year 10000 in UTC'],
    ['2999-12-31T23:59:59-14:00', 'year 3000 in UTC'],
    ['0000-01-01T00:00:00Z', 'year 0'],
    ['1969-12-31T23:59:59Z', 'before 1970'],
    ['2026-11-29T01:00:00+15:00', 'an offset no place uses'],
    ['2026-11-29', 'no time'],
    ['2026-11-29T01:00:00', 'no time zone'],
  ])('refuses %p (%s)', (text) => {
    expect(isoDateTime.safeParse(text).success).toBe(false);
  });
});

describe('isoDate', () => {
  it('accepts a day within 1970 to 2999 and refuses others', () => {
    expect(isoDate.safeParse('2026-12-03').success).toBe(true);
    expect(isoDate.safeParse('9999-12-31').success).toBe(false);
    expect(isoDate.safeParse('0001-01-01').success).toBe(false);
  });
});

describe('a value that is no date-time at all', () => {
  it('gets one message', () => {
    const result = isoDateTime.safeParse('yesterday');
    expect(result.success ? [] : result.error.issues.map((i) => i.message)).toEqual([
      'expected an ISO 8601 date-time with a time zone',
    ]);
  });
});
