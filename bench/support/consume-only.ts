import { Kafka } from 'kafkajs';
import { until } from './until';

export interface ConsumerRate {
  messages: number;
  seconds: number;
  perSecond: number;
}

/**
 * The ceiling for any kafkajs consumer on this machine: a plain consumer group that reads every
 * message of the topic with eachBatch and does nothing with them (offsets committed as kafkajs
 * does by default). Timed from the group join to the last message, as the pipeline is timed from
 * its first output: start-up is left out of both. A small topic is read in a moment, so each
 * partition is read again from its start (seek, in the same group: a new group would add its
 * join each time) until at least `minSeconds` have passed.
 */
export async function consumeOnly(
  kafka: Kafka,
  topic: string,
  groupId: string,
  minSeconds = 3,
): Promise<ConsumerRate> {
  const admin = kafka.admin();
  await admin.connect();
  const partitions = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const ends = new Map(partitions.map((p) => [p.partition, { low: p.low, last: Number(p.high) - 1 }]));
  const consumer = kafka.consumer({ groupId });
  // An empty partition has nothing to read to its end.
  const done = new Set(partitions.filter((p) => p.high === p.low).map((p) => p.partition));
  let read = 0;
  let first = 0;
  let last = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    first = Date.now();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        read += batch.messages.length;
        const end = ends.get(batch.partition);
        if (end === undefined || Number(batch.lastOffset()) < end.last) return;
        if (Date.now() - first < minSeconds * 1000)
          consumer.seek({ topic, partition: batch.partition, offset: end.low });
        else done.add(batch.partition);
        if (done.size === ends.size && last === 0) last = Date.now();
      },
    });
    await until(() => last !== 0, 600_000, `consume-only read ${read} messages`);
  } finally {
    await consumer.disconnect();
  }
  const seconds = (last - first) / 1000;
  return { messages: read, seconds, perSecond: read / seconds };
}
