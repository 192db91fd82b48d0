import { isoOf } from './iso-time';

describe('isoOf', () => {
  it('formats each time as toISOString does, however the calls alternate', () => {
    const times = [0, 1_733_400_000_123, 1_733_400_000_124, 0, 8_640_000_000_000, 1_733_400_000_123];
    for (const time of times) expect(isoOf(new Date(time))).toBe(new Date(time).toISOString());
  });

  it('follows a date changed in place', () => {
    const date = new Date(1_000);
    expect(isoOf(date)).toBe('1970-01-01T00:00:01.000Z');
    date.setTime(2_000);
    expect(isoOf(date)).toBe('1970-01-01T00:00:02.000Z');
  });
});
