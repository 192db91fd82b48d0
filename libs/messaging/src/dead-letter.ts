import { KafkaMessage } from 'kafkajs';
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
