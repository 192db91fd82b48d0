import type { FlagEvent } from '@abuse-monitor/domain';
import type { FlagEventMessage } from './report-messages';

/** The subscriber.flags message of a flag event, keyed by the reported number so order holds per number. */
export function flagEventMessage(event: FlagEvent): FlagEventMessage {
  const { at, ...rest } = event;
  return { ...rest, occurredAt: new Date(at).toISOString() };
}

export function flagEventRecord(
  topic: string,
  event: FlagEvent,
): { topic: string; key: string; payload: string } {
  return { topic, key: event.reportedNumber, payload: JSON.stringify(flagEventMessage(event)) };
}
