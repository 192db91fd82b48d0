import { KafkaMessage } from 'kafkajs';
import { SetAside } from './batch-consumer';
import { LogSink } from './kafka-client';
import { Publisher } from './publisher';
import { DeadLetterReason } from './raw-sms.schema';

/**
 * Original bytes kept in a dead-letter record. Base64 makes them a third larger, and the broker
 * refuses a request over its message.max.bytes (1 MiB by default) for good: a bigger original,
 * kept whole, would stop its partition on every retry.
 */
export const MAX_DEAD_LETTER_VALUE_BYTES = 256 * 1024;
/** Records are sent in groups up to this size, well under the broker's limit for one request. */
export const MAX_DEAD_LETTER_SEND_BYTES = 512 * 1024;
/** The words of a record's reason: enough for every field a schema names. */
export const MAX_DEAD_LETTER_DETAIL_CHARS = 2_000;

/**
 * What goes to the dead-letter topic: the reason, where the message came from, and the original
 * bytes (base64, since a broken message need not be valid UTF-8), so it can be inspected and redriven.
 * An original longer than MAX_DEAD_LETTER_VALUE_BYTES keeps only its beginning here; the whole of
 * it stays on its source topic, at the offset given, for as long as that topic keeps it.
 */
export interface DeadLetterRecord {
  reason: DeadLetterReason;
  detail: string;
  source: { topic: string; partition: number; offset: string; key: string | null; timestamp: string };
  valueBase64: string | null;
  /** The original's length in bytes; more than valueBase64 holds when valueTruncated. */
  valueBytes: number;
  valueTruncated: boolean;
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
    detail: detail.slice(0, MAX_DEAD_LETTER_DETAIL_CHARS),
    source: {
      topic,
      partition,
      offset: message.offset,
      key: message.key ? message.key.toString('utf8') : null,
      timestamp: message.timestamp,
    },
    valueBase64: message.value
      ? message.value.subarray(0, MAX_DEAD_LETTER_VALUE_BYTES).toString('base64')
      : null,
    valueBytes: message.value?.length ?? 0,
    valueTruncated: (message.value?.length ?? 0) > MAX_DEAD_LETTER_VALUE_BYTES,
    deadLetteredAt: now.toISOString(),
  };
}

/** A dead-letter record as a message, keyed by its source position so a repeat is recognisable. */
export function deadLetterMessage(topic: string, record: DeadLetterRecord) {
  const { source } = record;
  return {
    topic,
    key: `${source.topic}:${source.partition}:${source.offset}`,
    value: JSON.stringify(record),
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
  /** Called for each record once the broker has it: counted then, a retried batch counts once. */
  counted: (record: DeadLetterRecord) => void = () => undefined,
): Promise<void> {
  const messages = records.map((record) => deadLetterMessage(topic, record));
  for (const group of groupsUpTo(messages, MAX_DEAD_LETTER_SEND_BYTES)) {
    await publisher.send(topic, group, shouldContinue);
  }
  deadLettered(records, log, counted);
}

/** Counts and logs dead-letter records the broker has taken. */
export function deadLettered(
  records: readonly DeadLetterRecord[],
  log: LogSink,
  counted: (record: DeadLetterRecord) => void,
): void {
  for (const record of records) {
    const { source, reason, detail } = record;
    counted(record);
    log('warn', `dead-lettered ${source.topic}[${source.partition}]@${source.offset}: ${reason}: ${detail}`);
  }
}

/** Consecutive messages, in order, in groups whose keys and values add up to at most `maxBytes` (a bigger message alone). */
export function groupsUpTo<M extends { key: string | null; value: string | Buffer | null }>(
  messages: readonly M[],
  maxBytes: number,
): M[][] {
  const sizeOf = (part: string | Buffer | null) =>
    part === null ? 0 : Buffer.isBuffer(part) ? part.length : Buffer.byteLength(part);
  const groups: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = sizeOf(message.key) + sizeOf(message.value);
    if (current.length > 0 && bytes + size > maxBytes) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** `describe` words the reason for the record and the log, so it must be safe for logs. */
export interface DeadLetterSetAsideOptions extends Pick<SetAside, 'isPermanent' | 'describe'> {
  publisher: Publisher;
  /** The dead-letter topic. */
  topic: string;
  log: LogSink;
  /** Counts a record once the broker has it (the dead-letter metric). */
  counted: (record: DeadLetterRecord) => void;
}

/**
 * A BatchConsumer's setAside that sends the message to the dead-letter topic as 'unstorable'.
 * The consumers get it wired to the dead-letter metric by libs/observability's failureHandling().
 */
export function setAsideToDeadLetters(options: DeadLetterSetAsideOptions): SetAside {
  return {
    isPermanent: options.isPermanent,
    describe: options.describe,
    message: async (message, context, description) => {
      const record = deadLetterRecord(
        context.topic,
        context.partition,
        message,
        'unstorable',
        description,
        new Date(),
      );
      await publishDeadLetters(
        options.publisher,
        options.topic,
        [record],
        context.shouldContinue,
        options.log,
        options.counted,
      );
    },
  };
}
