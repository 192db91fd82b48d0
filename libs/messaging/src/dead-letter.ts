import { KafkaMessage } from 'kafkajs';
import { LogSink } from './kafka-client';
import { Publisher } from './publisher';
import { DeadLetterReason } from './raw-sms.schema';

/**
 * What goes to the dead-letter topic: the reason, where the message came from, and the original
 * bytes (base64, since a broken message need not be valid UTF-8), so it can be inspected and redriven.
 */
export interface DeadLetterRecord {
  reason: DeadLetterReason;
  detail: string;
  source: { topic: string; partition: number; offset: string; key: string | null; timestamp: string };
  valueBase64: string | null;
  deadLetteredAt: string;
}

export function deadLetterRecord(
  topic: string,
  partition: number,
  message: KafkaMessage,
  reason: DeadLetterReason,
  detail: string,
  now: Date,
): DeadLetterRecord {
  return {
    reason,
    detail: detail.slice(0, 2_000),
    source: {
      topic,
      partition,
      offset: message.offset,
      key: message.key ? message.key.toString('utf8') : null,
      timestamp: message.timestamp,
    },
    valueBase64: message.value ? message.value.toString('base64') : null,
    deadLetteredAt: now.toISOString(),
  };
}

/**
 * Publishes a batch's dead-letter records, keyed by their source position so a repeat after a
 * crash is recognisable, and logs each one.
 */
export async function publishDeadLetters(
  publisher: Publisher,
  topic: string,
  records: readonly DeadLetterRecord[],
  shouldContinue: () => boolean,
  log: LogSink,
): Promise<void> {
  await publisher.send(
    topic,
    records.map((record) => ({
      key: `${record.source.topic}:${record.source.partition}:${record.source.offset}`,
      value: JSON.stringify(record),
    })),
    shouldContinue,
  );
  for (const { source, reason, detail } of records) {
    log('warn', `dead-lettered ${source.topic}[${source.partition}]@${source.offset}: ${reason}: ${detail}`);
  }
}
