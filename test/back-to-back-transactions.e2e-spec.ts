import { randomBytes } from 'node:crypto';
import { Kafka, LogEntry, logLevel } from 'kafkajs';
import { PartitionProducers } from '@abuse-monitor/messaging';
import { createTopics, readTopic, TEST_BROKERS, testKafka } from './support/kafka';

interface Retry {
  retryTime: number;
}

/**
 * A client that notes every send the producer retries because the broker answered
 * CONCURRENT_TRANSACTIONS (kafkajs logs each, with the wait before the next attempt).
 */
function watchedKafka(retries: Retry[]): Kafka {
  return new Kafka({
    clientId: 'back-to-back-transactions-test',
    brokers: TEST_BROKERS,
    logLevel: logLevel.ERROR,
    // The apps' client-wide retries (createKafka): what a producer without its own would wait.
    retry: { initialRetryTime: 300, retries: 5, maxRetryTime: 10_000 },
    logCreator: () => (entry: LogEntry) => {
      const { message, retryTime } = entry.log as { message: string; retryTime?: number };
      if (entry.namespace === 'Producer' && /concurrent operation/.test(message) && retryTime !== undefined)
        retries.push({ retryTime });
    },
  });
}

describe('transactions committed back to back on one partition (PartitionProducers)', () => {
  it("retries the broker's CONCURRENT_TRANSACTIONS answer within milliseconds, not kafkajs' 300", async () => {
    const id = randomBytes(4).toString('hex');
    const input = `test.b2b.${id}.in`;
    const output = `test.b2b.${id}.out`;
    await createTopics(testKafka(), [input, output], 1);
    const retries: Retry[] = [];
    const producers = new PartitionProducers(watchedKafka(retries), `test-b2b-${id}`);
    producers.assigned([{ topic: input, partition: 0 }]);
    const commits = 40;
    try {
      // As ingest does on a busy partition: each batch's transaction starts as the last one ends.
      for (let i = 0; i < commits; i += 1) {
        await producers.commit([{ topic: output, key: null, value: `batch ${i}` }], {
          groupId: `test-b2b-${id}`,
          topic: input,
          partition: 0,
          nextOffset: String(i + 1),
        });
      }
    } finally {
      await producers.close();
    }
    // The premise: back to back, the broker does answer so (on most commits on this machine).
    expect(retries.length).toBeGreaterThan(0);
    // With the client's retries each of these would wait 300 ms (±20 %); the producer's own start
    // at 10 ms and double for each further answer to the same send.
    expect(Math.max(...retries.map((r) => r.retryTime))).toBeLessThanOrEqual(100);
    const written = await readTopic(testKafka(), output, commits);
    expect(written.map((m) => m.value)).toEqual(Array.from({ length: commits }, (_, i) => `batch ${i}`));
  });
});
