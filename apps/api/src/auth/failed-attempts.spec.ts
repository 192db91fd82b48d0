import { FailedAttempts, LiveTokenHashes } from './failed-attempts';

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

describe('LiveTokenHashes', () => {
  it('reads the live hashes at most once per interval, however many ask', async () => {
    let now = 0;
    let reads = 0;
    let live = ['a'];
    const hashes = new LiveTokenHashes(
      async () => {
        reads += 1;
        return live;
      },
      5_000,
      () => now,
    );
    const answers = await Promise.all(['a', 'b', 'a', 'c'].map((h) => hashes.has(h)));
    expect(answers).toEqual([true, false, true, false]);
    expect(reads).toBe(1);

    live = ['b'];
    now = 4_999;
    expect(await hashes.has('b')).toBe(false);
    expect(reads).toBe(1);
    now = 5_000;
    expect(await hashes.has('b')).toBe(true);
    expect(await hashes.has('a')).toBe(false);
    expect(reads).toBe(2);
  });

  it('reads again on the next question after a failed read', async () => {
    let fail = true;
    const hashes = new LiveTokenHashes(async () => {
      if (fail) throw new Error('database down');
      return ['a'];
    }, 5_000);
    await expect(hashes.has('a')).rejects.toThrow('database down');
    fail = false;
    expect(await hashes.has('a')).toBe(true);
  });
});
