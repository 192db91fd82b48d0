/**
 * Resolves once `done()` holds, checking every 20 ms, or rejects after `timeoutMs` saying `what`
 * was reached: a consumer's callback sets the state, the bench waits for it.
 */
export async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
