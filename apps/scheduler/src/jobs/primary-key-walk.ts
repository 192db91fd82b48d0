import { WALK_FROM_START, WalkedBatch } from '@abuse-monitor/persistence';

/**
 * A job's batch step over a table with no index for what it looks for (decision 0076): each call
 * goes on after the last key the call before it changed, so one run reads the table once, in the
 * primary key's order, and returns how many rows its batch changed.
 */
export function primaryKeyWalk(
  batch: (limit: number, after: string) => Promise<WalkedBatch>,
): (limit: number) => Promise<number> {
  let after = WALK_FROM_START;
  return async (limit) => {
    const walked = await batch(limit, after);
    if (walked.last !== null) after = walked.last;
    return walked.changed;
  };
}
