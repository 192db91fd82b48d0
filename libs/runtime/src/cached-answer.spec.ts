import { CachedAnswer } from './cached-answer';

describe('CachedAnswer', () => {
  it('works once for every caller within the time to live, then again', async () => {
    let now = 0;
    let runs = 0;
    const answer = new CachedAnswer(
      async () => ++runs,
      1_000,
      () => now,
    );
    expect(await Promise.all([answer.get(), answer.get(), answer.get()])).toEqual([1, 1, 1]);
    now = 999;
    expect(await answer.get()).toBe(1);
    now = 1_000;
    expect(await answer.get()).toBe(2);
    expect(runs).toBe(2);
  });

  it('keeps no failed work: the next caller tries again', async () => {
    let fail = true;
    const answer = new CachedAnswer(async () => {
      if (fail) throw new Error('down');
      return 'up';
    }, 1_000);
    await expect(answer.get()).rejects.toThrow('down');
    fail = false;
    expect(await answer.get()).toBe('up');
  });
});
