import { randomBytes } from 'node:crypto';
import { Producer } from 'kafkajs';
import { StableCommittedOffsets } from '@abuse-monitor/messaging';
import { createTopics, testKafka } from './support/kafka';

/**
 * A partition's new owner must not start below an offset its previous owner committed in a
 * transaction. kafkajs' own OffsetFetch (v4) answers with the offset from before a transaction
 * that is still being applied; StableCommittedOffsets asks with require_stable (v7) and waits.
 */
describe('the committed offset, read once stable (StableCommittedOffsets)', () => {
  const kafka = testKafka();
  const id = randomBytes(4).toString('hex');
  const topic = `test.stable-offset.${id}`;
  const groupId = `test.stable-offset.${id}.group`;
  const offsets = new StableCommittedOffsets(kafka, 1_500);
  let producer: Producer;

  beforeAll(async () => {
    await createTopics(kafka, [topic], 2);
    producer = kafka.producer({
      transactionalId: `test-stable-${id}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await offsets.close();
  });

  const commitOffset = async (offset: string) => {
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: [{ value: 'x' }] });
    await transaction.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic, partitions: [{ partition: 0, offset }] }],
    });
    return transaction;
  };

  it('is null for a group that has committed nothing', async () => {
    expect(await offsets.read(groupId, topic, 0)).toBeNull();
  });

  it('is what a committed transaction set', async () => {
    const transaction = await commitOffset('5');
    await transaction.commit();
    expect(await offsets.read(groupId, topic, 0)).toBe(5n);
    expect(await offsets.read(groupId, topic, 1)).toBeNull();
  });

  it('waits while a transaction holds a newer offset, where kafkajs answers with the old one', async () => {
    const transaction = await commitOffset('9');
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [unstable] = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(unstable.partitions.find((p) => p.partition === 0)?.offset).toBe('5');
      await expect(offsets.read(groupId, topic, 0)).rejects.toThrow(/did not become stable .* code 88/);
      const reading = offsets.read(groupId, topic, 0);
      await transaction.commit();
      expect(await reading).toBe(9n);
    } finally {
      await admin.disconnect();
    }
  });
});
