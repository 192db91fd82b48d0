import { randomBytes } from 'node:crypto';
import { KafkaMessage } from 'kafkajs';
import { BatchConsumer } from '@abuse-monitor/messaging';
import { eventually } from './support/app-process';
import { committedAndEnd, createTopics, testKafka } from './support/kafka';

/**
 * Ingest writes reports.accepted and reports.rejected in transactions, each closed by a marker
 * record that no consumer is shown. The aggregator's group must commit past those markers, or its
 * lag never reads 0 on a quiet partition and its readiness and the stuck alert take it for stuck.
 */
describe('a consumer of a topic written in transactions (BatchConsumer)', () => {
  const kafka = testKafka();

  async function writeInTransaction(topic: string, values: string[], outcome: 'commit' | 'abort') {
    const producer = kafka.producer({
      transactionalId: `test-markers-${randomBytes(4).toString('hex')}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: values.map((value) => ({ value })) });
      await (outcome === 'commit' ? transaction.commit() : transaction.abort());
    } finally {
      await producer.disconnect();
    }
  }

  it('commits past the markers, and past a fetch of aborted records and a marker alone', async () => {
    const id = randomBytes(4).toString('hex');
    const topic = `test.markers.${id}`;
    const groupId = `test-markers-${id}`;
    await createTopics(kafka, [topic], 1);
    const handled: string[] = [];
    const consumer = new BatchConsumer(kafka, {
      groupId,
      topics: [topic],
      log: () => undefined,
      handler: async (messages: KafkaMessage[]) => {
        handled.push(...messages.map((m) => m.value?.toString() ?? ''));
      },
    });
    consumer.start();
    try {
      // Two records and the commit marker: the batch ends with a record no handler sees.
      await writeInTransaction(topic, ['a', 'b'], 'commit');
      const afterCommit = await eventually(
        () => committedAndEnd(kafka, groupId, topic),
        (o) => o.end === 3 && o.committed === o.end,
        30_000,
      );
      expect(afterCommit).toEqual({ committed: 3, end: 3 });
      // An aborted transaction: kafkajs filters everything out and calls no handler at all.
      await writeInTransaction(topic, ['aborted'], 'abort');
      const afterAbort = await eventually(
        () => committedAndEnd(kafka, groupId, topic),
        (o) => o.end === 5 && o.committed === o.end,
        30_000,
      );
      expect(afterAbort).toEqual({ committed: 5, end: 5 });
      expect(handled).toEqual(['a', 'b']);
    } finally {
      await consumer.stop();
    }
  });
});
