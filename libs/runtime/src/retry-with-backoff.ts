/**
 * Retries an operation against a dependency that may be down (the broker, the database) until it
 * succeeds or the caller gives up. Back-off grows exponentially with jitter so a fleet of replicas
 * does not hammer a recovering database in lock-step.
 */
import { describeDatabaseError } from './database-error';

export interface BackoffOptions {
  /** What is being attempted, for the log line ("store batch of 12 raw messages"). */
  what: string;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Called before every new attempt; returning false stops retrying with a GaveUpError. */
  shouldContinue?: () => boolean;
  /** Called while waiting, so a Kafka consumer can keep its group membership alive. */
  whileWaiting?: () => Promise<void>;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  sleep?: (ms: number) => Promise<void>;
}

export class GaveUpError extends Error {
  override name = 'GaveUpError';
  constructor(
    what: string,
    readonly lastError: unknown,
  ) {
    super(`gave up: ${what}: ${describeError(lastError)}`);
  }
}

/** An error in words for a log line; a database error without the values it quotes. */
export function describeError(error: unknown): string {
  const databaseError = describeDatabaseError(error);
  if (databaseError !== null) return databaseError;
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function backoffDelay(
  attempt: number,
  initialDelayMs: number,
  maxDelayMs: number,
  random = Math.random,
) {
  const exponential = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

export async function retryWithBackoff<T>(operation: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const initialDelayMs = options.initialDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const sleep = options.sleep ?? defaultSleep;
  const shouldContinue = options.shouldContinue ?? (() => true);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!shouldContinue()) throw new GaveUpError(options.what, error);
      const delayMs = backoffDelay(attempt, initialDelayMs, maxDelayMs);
      options.onRetry?.(attempt, delayMs, error);
      await waitAndKeepAlive(delayMs, sleep, options.whileWaiting);
      if (!shouldContinue()) throw new GaveUpError(options.what, error);
    }
  }
}

async function waitAndKeepAlive(
  delayMs: number,
  sleep: (ms: number) => Promise<void>,
  keepAlive?: () => Promise<void>,
) {
  const slice = 1_000;
  for (let waited = 0; waited < delayMs; waited += slice) {
    await sleep(Math.min(slice, delayMs - waited));
    if (keepAlive) await keepAlive().catch(() => undefined);
  }
}
