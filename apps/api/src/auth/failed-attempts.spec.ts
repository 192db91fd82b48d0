import { FailedAttempts, RecentSet } from './failed-attempts';

describe('FailedAttempts', () => {
  it('allows the limit of refusals a minute per client, then refuses until a minute has passed', () => {
    let now = 0;
    const attempts = new FailedAttempts(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(attempts.exhausted('10.0.0.1')).toBe(false);
      attempts.record('10.0.0.1');
      now += 1_000;
    }
    expect(attempts.exhausted('10.0.0.1')).toBe(true);
    expect(attempts.exhausted('10.0.0.2')).toBe(false);
    now = 60_001;
    expect(attempts.exhausted('10.0.0.1')).toBe(false);
  });
});

describe('RecentSet', () => {
  it('forgets the least recently added entries beyond its capacity', () => {
    const set = new RecentSet(2);
    set.add('a');
    set.add('b');
    set.add('a');
    set.add('c');
    expect([set.has('a'), set.has('b'), set.has('c')]).toEqual([true, false, true]);
  });
});
