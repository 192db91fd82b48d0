/**
 * When a report can have been received. Vietnam's 156 and 5656 took reports long after 2000, so an
 * earlier time is a broken clock (often the epoch, 1970, or year 0000, which PostgreSQL refuses);
 * so is a time more than a day ahead of this server's. Either would sit outside every counting
 * window or at its end, and retention, which goes by the time received, would keep the reporter's
 * number for decades.
 */
export const EARLIEST_REPORT_TIME = Date.UTC(2000, 0, 1);
/** A day: gateways whose clocks run a few hours ahead, or that send local time as UTC, still pass. */
export const MAX_CLOCK_AHEAD_MS = 24 * 3_600_000;

/** What is wrong with a report's time (epoch milliseconds), in words for an error; null when nothing. */
export function reportTimeProblem(receivedAt: number, now: number): string | null {
  if (!Number.isFinite(receivedAt)) return 'is not a valid time';
  if (receivedAt < EARLIEST_REPORT_TIME) return 'must not be before 2000-01-01T00:00:00Z';
  if (receivedAt > now + MAX_CLOCK_AHEAD_MS)
    return "must not be more than 24 hours ahead of the server's clock";
  return null;
}

/**
 * Whether a JSON value nests arrays and objects deeper than `maxDepth` (a scalar is depth 0).
 * Iterative: the point is to turn away values so deep that recursive code, or PostgreSQL's jsonb,
 * would run out of stack on them.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop() as { value: unknown; depth: number };
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > maxDepth) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return false;
}
