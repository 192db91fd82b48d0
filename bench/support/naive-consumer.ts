import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { ConsumerRate } from './consume-only';
import { until } from './until';

/** "V <number> <content>", as the short codes' instructions write it, and nothing cleverer. */
const REPORT = /^\s*V\s+(\S+)\s*(.*)$/is;

/**
 * What a first attempt would look like, as a yardstick for the pipeline: kafkajs eachMessage with
 * autocommit, a regex for `V <number> <content>`, and for every message one INSERT of the message
 * and one UPSERT of a per-number counter, each its own transaction on one connection. It neither
 * deduplicates counters nor checks numbers: it is a cost baseline, not a correct consumer.
 * Reads the first `limit` messages of the topic; timed from the first message to the last.
 */
export async function naiveConsumer(
  kafka: Kafka,
  topic: string,
  groupId: string,
  databaseUrl: string,
  limit: number,
): Promise<ConsumerRate> {
  const db = new Client({ connectionString: databaseUrl });
  // An interrupted bench drops its database under this connection: the next query fails instead
  // of the process ending on an unhandled 'error' event.
  db.on('error', () => undefined);
  await db.connect();
  await db.query(`CREATE TABLE naive_sms (
    message_id text PRIMARY KEY, reporter text, reported_number text, content text, received_at timestamptz)`);
  await db.query('CREATE TABLE naive_counters (reported_number text PRIMARY KEY, reports bigint NOT NULL)');
  const consumer = kafka.consumer({ groupId });
  let handled = 0;
  let first = 0;
  let last = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (handled >= limit) return;
        if (first === 0) first = Date.now();
        let sms: { messageId?: string; from?: string; text?: string; receivedAt?: string };
        try {
          sms = JSON.parse(message.value?.toString('utf8') ?? '');
        } catch {
          sms = {};
        }
        const match = REPORT.exec(sms.text ?? '');
        await db.query(
          `INSERT INTO naive_sms (message_id, reporter, reported_number, content, received_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (message_id) DO NOTHING`,
          [sms.messageId ?? `${topic}:${message.offset}`, sms.from, match?.[1], match?.[2], sms.receivedAt],
        );
        if (match)
          await db.query(
            `INSERT INTO naive_counters (reported_number, reports) VALUES ($1, 1)
             ON CONFLICT (reported_number) DO UPDATE SET reports = naive_counters.reports + 1`,
            [match[1]],
          );
        handled += 1;
        if (handled === limit) last = Date.now();
      },
    });
    await until(() => last !== 0, 3_600_000, `naive consumer handled ${handled} of ${limit} messages`);
  } finally {
    await consumer.disconnect();
    await db.query('DROP TABLE IF EXISTS naive_sms, naive_counters').catch(() => undefined);
    await db.end();
  }
  const seconds = (last - first) / 1000;
  return { messages: handled, seconds, perSecond: handled / seconds };
}
