import { EntityManager } from 'typeorm';
import type { FlagTransition } from '@abuse-monitor/domain';
import { flagEventRecord } from '@abuse-monitor/messaging';
import { saveFlagChanges } from '../aggregation/flag-changes.repository';
import { enqueueOutbox } from '../outbox.repository';

/**
 * Stores transitions of flags made one change at a time (by a person or a scheduled job): each
 * flag, its history row and, when the change is an event, the event through the outbox, all in
 * the caller's transaction, so a flag never changes without its event or the other way round.
 */
export async function saveTransitions(
  manager: EntityManager,
  transitions: readonly FlagTransition[],
  flagsTopic: string,
): Promise<void> {
  // A scheduled job's batch often changes nothing: no round trip for it.
  if (transitions.length === 0) return;
  await saveFlagChanges(
    transitions.map((t) => ({
      flag: t.state,
      coordinationShare: null,
      history: [t.historyEntry],
      eventIds: new Map(t.event ? [[t.historyEntry.sequence, t.event.eventId]] : []),
    })),
    manager,
  );
  await enqueueOutbox(
    transitions.flatMap((t) => (t.event ? [flagEventRecord(flagsTopic, t.event)] : [])),
    manager,
  );
}
