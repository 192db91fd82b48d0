import { randomBytes } from 'node:crypto';
import { Kafka, Message } from 'kafkajs';
import { TopicNames, topicNames } from '@abuse-monitor/messaging';

export { TEST_BROKERS, testKafka } from './kafka-client';

/** Every test file gets its own topic names, so runs never read each other's messages. */
export function uniqueTopicPrefix(label: string): { prefix: string; topics: TopicNames } {
  const prefix = `test.${label}.${randomBytes(4).toString('hex')}.`;
  return { prefix, topics: topicNames(prefix) };
}

export async function createTopics(kafka: Kafka, topics: string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Sends each message once. Idempotent, so a send retried after a lost answer (a broker just
 * restarted, a loaded machine) is not written twice: the fault test counts replies to messages
 * sent once, and a duplicate written by its own producer is a redelivery it did not intend.
 */
export async function produce(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500) {
      await producer.send({ topic, messages: messages.slice(i, i + 500), acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ReadMessage {
  key: string | null;
  value: string | null;
  partition: number;
  offset: string;
}

/**
 * Reads a topic from the beginning until `expected` messages arrived (or it says so), the time is
 * up, or, with `idleMs`, nothing more arrived for that long after the first message.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  expected: number | ((received: ReadMessage[]) => boolean),
  timeoutMs = 30_000,
  options: { idleMs?: number } = {},
): Promise<ReadMessage[]> {
  const enoughRead = typeof expected === 'number' ? (r: ReadMessage[]) => r.length >= expected : expected;
  await waitForTopic(kafka, topic, timeoutMs);
  const consumer = kafka.consumer({ groupId: `test-reader-${randomBytes(4).toString('hex')}` });
  const received: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done: () => void = () => undefined;
    const enough = new Promise<void>((resolve) => (done = resolve));
    let idle: NodeJS.Timeout | undefined;
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        if (options.idleMs !== undefined) {
          clearTimeout(idle);
          idle = setTimeout(() => done(), options.idleMs);
        }
        received.push({
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          partition,
          offset: message.offset,
        });
        if (enoughRead(received)) done();
      },
    });
    // Expecting nothing means looking for a short while and finding nothing.
    const waitMs = expected === 0 ? 2_000 : timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([enough, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    clearTimeout(idle);
    return received;
  } finally {
    await consumer.disconnect();
  }
}

/** The offsets a consumer group has committed, summed over partitions, and the topic's end. */
export async function committedAndEnd(kafka: Kafka, groupId: string, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const sum = (values: string[]) => values.reduce((total, v) => total + Math.max(Number(v), 0), 0);
    return {
      committed: sum(committed.partitions.map((p) => p.offset)),
      end: sum(ends.map((p) => p.high)),
    };
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the apps under test have created `topic`. */
export async function waitForTopic(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (!(await admin.listTopics()).includes(topic)) {
      if (Date.now() > deadline) throw new Error(`topic ${topic} was not created within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}
