import { backoffDelay, GaveUpError, retryWithBackoff } from './retry-with-backoff';

const noSleep = () => Promise.resolve();

describe('retryWithBackoff', () => {
  it('returns the first successful result after failures', async () => {
    let calls = 0;
    const retries: number[] = [];
    const result = await retryWithBackoff(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('database is starting up');
        return 'stored';
      },
      { what: 'store', sleep: noSleep, onRetry: (attempt) => retries.push(attempt) },
    );
    expect(result).toBe('stored');
    expect(calls).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('gives up with the last error once the caller says stop', async () => {
    let keepGoing = true;
    const attempt = retryWithBackoff(
      async () => {
        keepGoing = false;
        throw new Error('connection refused');
      },
      { what: 'connect', sleep: noSleep, shouldContinue: () => keepGoing },
    );
    await expect(attempt).rejects.toBeInstanceOf(GaveUpError);
    await expect(attempt).rejects.toThrow('gave up: connect: connection refused');
  });

  it('keeps the caller alive while it waits', async () => {
    let heartbeats = 0;
    let calls = 0;
    await retryWithBackoff(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('down');
      },
      {
        what: 'x',
        initialDelayMs: 4_000,
        sleep: noSleep,
        whileWaiting: async () => {
          heartbeats += 1;
        },
      },
    );
    expect(heartbeats).toBeGreaterThanOrEqual(2);
  });
});

describe('backoffDelay', () => {
  it('doubles each attempt up to the ceiling, with at most half of it as jitter', () => {
    expect(backoffDelay(1, 200, 10_000, () => 1)).toBe(200);
    expect(backoffDelay(1, 200, 10_000, () => 0)).toBe(100);
    expect(backoffDelay(4, 200, 10_000, () => 1)).toBe(1_600);
    expect(backoffDelay(40, 200, 10_000, () => 1)).toBe(10_000);
  });
});
