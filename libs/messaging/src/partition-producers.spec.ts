import { Kafka } from 'kafkajs';
import { isFenced, PartitionLostError, PartitionProducers } from './partition-producers';

const input = { groupId: 'g', topic: 'reports.sms.raw', partition: 1, nextOffset: '10' };

/** A client whose producers are never reached: what is refused before any broker is asked. */
function unreachableKafka(created: string[]): Kafka {
  return {
    producer: ({ transactionalId }: { transactionalId: string }) => {
      created.push(transactionalId);
      return {
        connect: () => Promise.reject(new Error('no broker in a unit test')),
        disconnect: () => Promise.resolve(),
      };
    },
  } as unknown as Kafka;
}

describe('PartitionProducers', () => {
  it('refuses to commit for a partition this member was not assigned, without creating a producer', async () => {
    const created: string[] = [];
    const producers = new PartitionProducers(unreachableKafka(created), 'g');
    producers.assigned([{ topic: 'reports.sms.raw', partition: 0 }]);
    const beforeCommit = created.length;
    await expect(producers.commit([], input)).rejects.toBeInstanceOf(PartitionLostError);
    expect(created.length).toBe(beforeCommit);
  });

  it('names each producer by the group, topic and partition it commits for', () => {
    const created: string[] = [];
    new PartitionProducers(unreachableKafka(created), 'abuse-monitor-ingest').assigned([
      { topic: 'reports.sms.raw', partition: 2 },
      { topic: 'reports.submitted', partition: 0 },
    ]);
    expect(created.sort()).toEqual([
      'abuse-monitor-ingest:reports.sms.raw:2',
      'abuse-monitor-ingest:reports.submitted:0',
    ]);
  });
});

describe('isFenced', () => {
  it('knows the broker refusing an older producer epoch, also inside kafkajs retry errors', () => {
    expect(isFenced({ type: 'INVALID_PRODUCER_EPOCH', code: 47 })).toBe(true);
    expect(isFenced({ name: 'KafkaJSProtocolError', code: 90 })).toBe(true);
    expect(
      isFenced({ name: 'KafkaJSNumberOfRetriesExceeded', originalError: { type: 'INVALID_PRODUCER_EPOCH' } }),
    ).toBe(true);
  });

  it('takes other failures for ones worth retrying', () => {
    expect(isFenced(new Error('Connection error: ECONNREFUSED'))).toBe(false);
    expect(isFenced({ type: 'NOT_COORDINATOR', code: 16 })).toBe(false);
    expect(isFenced(null)).toBe(false);
  });
});
