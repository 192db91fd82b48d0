import { randomBytes } from 'node:crypto';
import { Producer } from 'kafkajs';
import { createTopics, readTopic, testKafka } from './support/kafka';

/**
 * A consumer that reads committed records must never be shown a record of an aborted transaction.
 * The broker lists a fetch's aborted transactions in the order their abort markers were written;
 * kafkajs 2.2.4 took that for the order in which they began, and showed the records of a
 * transaction that began first and was aborted last (the fault test saw replies twice that way).
 * patches/kafkajs+2.2.4.patch, applied by `npm ci`, sorts them; this fails without it.
 */
describe('records of aborted transactions, interleaved on one partition', () => {
  const kafka = testKafka();
  const id = randomBytes(4).toString('hex');
  const topic = `test.aborted.${id}`;
  const producers: Producer[] = [];

  const transactional = async (name: string) => {
    const producer = kafka.producer({
      transactionalId: `test-aborted-${id}-${name}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    producers.push(producer);
    return producer.transaction();
  };

  beforeAll(() => createTopics(kafka, [topic], 1));
  afterAll(() => Promise.all(producers.map((p) => p.disconnect())));

  it('are never read, whatever order the transactions began and ended in', async () => {
    const first = await transactional('first');
    const second = await transactional('second');
    const committed = await transactional('committed');
    const send = (t: typeof first, value: string) => t.send({ topic, messages: [{ key: value, value }] });
    await send(committed, 'kept-1');
    await send(first, 'aborted-first-1'); // begins first ...
    await send(second, 'aborted-second-1');
    await send(first, 'aborted-first-2');
    await send(second, 'aborted-second-2');
    await second.abort(); // ... ends last
    await send(first, 'aborted-first-3');
    await first.abort();
    await send(committed, 'kept-2');
    await committed.commit();

    const read = await readTopic(kafka, topic, 2, 20_000, { idleMs: 3_000 });
    expect(read.map((m) => m.value)).toEqual(['kept-1', 'kept-2']);
  });
});
