import { EntityManager } from 'typeorm';
import type { FlagTransition } from '@abuse-monitor/domain';
import { flagEventRecord } from '@abuse-monitor/messaging';
import { FlagStore } from './aggregation/flag-store';
import { OutboxRepository } from './outbox.repository';

const flags = new FlagStore();

/**
 * Saves flag transitions (the flag, its history entry) and queues each one's event in the outbox,
 * in the caller's transaction: a change and its event commit together or not at all.
 */
export async function saveTransitions(
  manager: EntityManager,
  transitions: readonly FlagTransition[],
  flagsTopic: string,
): Promise<void> {
  if (transitions.length === 0) return;
  await flags.save(
    transitions.map((t) => ({
      flag: t.state,
      coordinationShare: null,
      history: [t.historyEntry],
      eventIds: new Map(t.event ? [[t.historyEntry.sequence, t.event.eventId]] : []),
    })),
    manager,
  );
  await new OutboxRepository(manager.connection).enqueue(
    transitions.flatMap((t) => (t.event ? [flagEventRecord(flagsTopic, t.event)] : [])),
    manager,
  );
}
