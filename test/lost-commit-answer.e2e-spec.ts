import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { ISocketFactory, Kafka, logLevel } from 'kafkajs';
import { InputPosition, PartitionProducers } from '@abuse-monitor/messaging';
import { createTopics, produce, readTopic, TEST_BROKERS, testKafka } from './support/kafka';

/** kafkajs writes each request as one frame: size (int32), api key (int16), version, correlation id. */
const END_TXN_API_KEY = 26;

type Loss = 'none' | 'request' | 'answer';

/**
 * A client whose EndTxn (the commit of a transaction) is lost on the wire while `loss` says so:
 * either the request never reaches the broker, or the broker takes it and its answer never comes
 * back. Either way the connection is cut, as a broker restart or a network fault would, and the
 * producer cannot tell whether its transaction committed.
 */
function lossyKafka(loss: { now: Loss; lost: number }): Kafka {
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    let answerOwed = false;
    const write = socket.write.bind(socket) as (chunk: Buffer, encoding?: BufferEncoding) => boolean;
    socket.write = ((chunk: Buffer, encoding?: BufferEncoding) => {
      const isEndTxn =
        Buffer.isBuffer(chunk) && chunk.length >= 6 && chunk.readInt16BE(4) === END_TXN_API_KEY;
      if (isEndTxn && loss.now === 'request') {
        loss.lost += 1;
        socket.destroy(new Error('test: EndTxn request lost'));
        return false;
      }
      if (isEndTxn && loss.now === 'answer') answerOwed = true;
      return write(chunk, encoding);
    }) as typeof socket.write;
    const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => boolean;
    socket.emit = ((event: string, ...args: unknown[]) => {
      if (event === 'data' && answerOwed) {
        // The broker has answered (so it has taken the commit); the client never hears it.
        answerOwed = false;
        loss.lost += 1;
        socket.destroy(new Error('test: EndTxn answer lost'));
        return true;
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
    return socket;
  };
  return new Kafka({
    clientId: 'lost-commit-answer-test',
    brokers: TEST_BROKERS,
    logLevel: logLevel.NOTHING,
    socketFactory,
    retry: { initialRetryTime: 100, retries: 3, maxRetryTime: 1_000 },
  });
}

/** What the transactional consumer does with a batch: retry its commit until it goes through. */
async function commitUntilDone(
  producers: PartitionProducers,
  records: Parameters<PartitionProducers['commit']>[0],
  input: InputPosition,
): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await producers.commit(records, input);
      return attempt;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describe('a transaction whose commit is lost on the wire (PartitionProducers)', () => {
  const kafka = testKafka();
  let inputTopic: string;
  let outputTopic: string;
  let groupId: string;

  beforeEach(async () => {
    const id = randomBytes(4).toString('hex');
    inputTopic = `test.lost-commit.${id}.in`;
    outputTopic = `test.lost-commit.${id}.out`;
    groupId = `test-lost-commit-${id}`;
    await createTopics(kafka, [inputTopic, outputTopic], 1);
    await produce(
      kafka,
      inputTopic,
      Array.from({ length: 6 }, (_, i) => ({ value: `input ${i}` })),
    );
  });

  const batch = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => ({
      topic: outputTopic,
      key: null,
      value: `record ${from + i}`,
    }));

  async function committedOffset(): Promise<string | undefined> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [inputTopic] });
      return offsets.partitions.find((p) => p.partition === 0)?.offset;
    } finally {
      await admin.disconnect();
    }
  }

  it("tells a partition's next owner where the previous owner's last transaction ended", async () => {
    const previous = new PartitionProducers(testKafka(), groupId);
    const next = new PartitionProducers(testKafka(), groupId);
    const partition = { groupId, topic: inputTopic, partition: 0 };
    try {
      previous.assigned([{ topic: inputTopic, partition: 0 }]);
      await previous.commit(batch(0, 3), { ...partition, nextOffset: '3' });
      next.assigned([{ topic: inputTopic, partition: 0 }]);
      expect(await next.resumeOffset(partition)).toBe(3n);
      // Asked once per assignment: later batches of the same assignment go on from their own offset.
      expect(await next.resumeOffset(partition)).toBeNull();
    } finally {
      await Promise.all([previous.close(), next.close()]);
    }
  });

  it.each<[Exclude<Loss, 'none'>, string]>([
    ['answer', 'the broker committed it'],
    ['request', 'the broker never saw it'],
  ])('produces each batch exactly once when the EndTxn %s is lost (%s)', async (lost) => {
    const loss = { now: lost as Loss, lost: 0 };
    const producers = new PartitionProducers(lossyKafka(loss), groupId);
    producers.assigned([{ topic: inputTopic, partition: 0 }]);
    try {
      const first: InputPosition = { groupId, topic: inputTopic, partition: 0, nextOffset: '3' };
      await expect(producers.commit(batch(0, 3), first)).rejects.toThrow();
      expect(loss.lost).toBeGreaterThan(0);

      // The wire works again: the consumer retries the same batch, then goes on with the next.
      loss.now = 'none';
      await commitUntilDone(producers, batch(0, 3), first);
      await commitUntilDone(producers, batch(3, 6), { ...first, nextOffset: '6' });

      const output = await readTopic(kafka, outputTopic, () => false, 30_000, { idleMs: 3_000 });
      expect(output.map((m) => m.value)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `record ${i}`));
      expect(await committedOffset()).toBe('6');
    } finally {
      await producers.close();
    }
  });
});
