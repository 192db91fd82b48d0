/**
 * Waits for `work` at most `ms` milliseconds, then rejects. The work itself goes on (a promise
 * cannot be cancelled); its later failure is swallowed so it is not reported as unhandled.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what = 'the work'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
