import { carriesWeight, isSuspiciousReporter, standingAfterReport } from './reporter-guard';

describe('reporter guard', () => {
  it('marks a reporter suspicious above the daily limit, not at it', () => {
    expect(isSuspiciousReporter(20, 20)).toBe(false);
    expect(isSuspiciousReporter(21, 20)).toBe(true);
    expect(isSuspiciousReporter(21)).toBe(true);
  });

  it('keeps a reporter suspicious until a person clears them, and a cleared one cleared', () => {
    expect(standingAfterReport('normal', 5, 20)).toBe('normal');
    expect(standingAfterReport('normal', 21, 20)).toBe('suspicious');
    expect(standingAfterReport('suspicious', 1, 20)).toBe('suspicious');
    expect(standingAfterReport('cleared', 50, 20)).toBe('cleared');
  });

  it('gives suspicious reporters no weight', () => {
    expect(carriesWeight('suspicious')).toBe(false);
    expect(carriesWeight('normal')).toBe(true);
    expect(carriesWeight('cleared')).toBe(true);
  });
});
