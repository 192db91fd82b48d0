import { randomBytes } from 'node:crypto';
import { Consumer, ConsumerConfig, KafkaMessage } from 'kafkajs';
import { BatchConsumer, BatchConsumerOptions } from '@abuse-monitor/messaging';
import { sleep } from './support/app-process';
import { createTopics, testKafka } from './support/kafka';

/**
 * A member asks for 1 MiB within a short wait, so that a steady load shares a batch's cost; on
 * an idle topic that would be a fetch every wait. Once a fetch brings nothing, the next asks for
 * any byte and lets the broker hold it (decision 0080): few fetches while idle, and a record that
 * comes is answered at once rather than at the end of the long wait.
 */
describe('an idle member long-polls the broker (patches/kafkajs+2.2.4.patch)', () => {
  const kafka = testKafka();
  const id = randomBytes(4).toString('hex');
  const topic = `test.idle-long-poll.${id}`;
  const fetchesOf = new Map<string, number>();
  const consumers: BatchConsumer[] = [];

  // The kafkajs consumer each BatchConsumer creates, with its fetches counted.
  const createConsumer = kafka.consumer.bind(kafka);
  const counted = (config: ConsumerConfig): Consumer => {
    const consumer = createConsumer(config);
    consumer.on(consumer.events.FETCH, () =>
      fetchesOf.set(config.groupId, (fetchesOf.get(config.groupId) ?? 0) + 1),
    );
    return consumer;
  };
  jest.spyOn(kafka, 'consumer').mockImplementation(counted);

  beforeAll(() => createTopics(kafka, [topic], 3));
  afterAll(() => Promise.all(consumers.map((c) => c.stop())));

  async function member(
    label: string,
    options: Partial<BatchConsumerOptions>,
    received: (message: KafkaMessage) => void = () => undefined,
  ): Promise<string> {
    const groupId = `${topic}.${label}`;
    const consumer = new BatchConsumer(kafka, {
      groupId,
      topics: [topic],
      log: () => undefined,
      fetchMaxWaitMs: 20,
      handler: async (messages) => messages.forEach(received),
      ...options,
    });
    consumers.push(consumer);
    consumer.start();
    await consumer.joined();
    return groupId;
  }

  const fetchesDuring = async (groupId: string, ms: number): Promise<number> => {
    const before = fetchesOf.get(groupId) ?? 0;
    await sleep(ms);
    return (fetchesOf.get(groupId) ?? 0) - before;
  };

  it('fetches a few times a second while idle, where kafkajs as published asks every wait', async () => {
    const longPolling = await member('long-poll', {});
    // The same fetch settings without the long poll: what every member did before.
    const polling = counted({ groupId: `${topic}.poll`, minBytes: 1_048_576, maxWaitTimeInMs: 20 });
    await polling.connect();
    try {
      await polling.subscribe({ topics: [topic], fromBeginning: true });
      await polling.run({ eachBatch: async () => undefined });
      await fetchesDuring(`${topic}.poll`, 1_000);
      const [idle, busy] = await Promise.all([
        fetchesDuring(longPolling, 2_000),
        fetchesDuring(`${topic}.poll`, 2_000),
      ]);
      // 500 ms a fetch (GroupConsumer's default) against 20.
      expect(idle).toBeLessThanOrEqual(6);
      expect(busy).toBeGreaterThanOrEqual(25);
    } finally {
      await polling.disconnect();
    }
  });

  it('is answered as soon as a transaction commits a record, long before the long wait ends', async () => {
    const arrived: number[] = [];
    const groupId = await member('answered', { fetchIdleWaitMs: 8_000 }, () => arrived.push(Date.now()));
    // In its long poll: the first, empty fetch has come back, and the one after it is held.
    while ((fetchesOf.get(groupId) ?? 0) === 0) await sleep(20);
    expect(await fetchesDuring(groupId, 300)).toBe(0);
    // As ingest writes what the aggregator reads: a read_committed member sees it at the commit.
    const producer = kafka.producer({
      transactionalId: `${topic}.writer`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ key: 'k', value: 'a record' }] });
      const committed = Date.now();
      await transaction.commit();
      while (arrived.length === 0 && Date.now() - committed < 15_000) {
        await sleep(20);
      }
      expect(arrived).toHaveLength(1);
      // Well inside the 8 s the broker was allowed to hold the fetch.
      expect(arrived[0] - committed).toBeLessThan(4_000);
    } finally {
      await producer.disconnect();
    }
  });
});
