import { Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { groupsUpTo, MAX_DEAD_LETTER_SEND_BYTES } from './dead-letter';

/** A record to produce in the transaction of the batch that decided it. */
export interface OutgoingRecord {
  topic: string;
  key: string | null;
  value: string;
}

/** Where one batch ends: the input partition and the offset to commit (the last one read, plus one). */
export interface InputPosition {
  groupId: string;
  topic: string;
  partition: number;
  nextOffset: string;
}

/**
 * One transactional producer per input partition, its transactionalId made of the group, the topic
 * and the partition. kafkajs sends no consumer-group metadata with the offsets (KIP-447), so this
 * is what fences a zombie: when a partition moves, its new owner's producer takes the same id and
 * the broker refuses the old owner's transaction (docs/decisions/0025).
 */
export class PartitionProducers {
  private readonly producers = new Map<string, Promise<Producer>>();

  constructor(
    private readonly kafka: Kafka,
    /** Distinguishes deployments sharing a cluster (the topic prefix is part of the group). */
    private readonly transactionalIdPrefix: string,
  ) {}

  /**
   * Produces `records` and commits the input offset as one transaction: both happen, or neither.
   * On any failure the transaction is aborted and the producer dropped, so the next attempt starts
   * from a fresh producer id (which also ends whatever the broker still holds open for the old one).
   */
  async commit(records: readonly OutgoingRecord[], input: InputPosition): Promise<void> {
    const key = `${input.topic}:${input.partition}`;
    const producer = await this.producerFor(key);
    const transaction = await producer.transaction().catch(async (error: unknown) => {
      await this.drop(key);
      throw error;
    });
    try {
      // Each send under the broker's request limits; a batch may hold megabytes of dead letters.
      for (const group of groupsUpTo(records, MAX_DEAD_LETTER_SEND_BYTES)) {
        await transaction.sendBatch({ topicMessages: byTopic(group), acks: -1 });
      }
      await transaction.sendOffsets({
        consumerGroupId: input.groupId,
        topics: [
          { topic: input.topic, partitions: [{ partition: input.partition, offset: input.nextOffset }] },
        ],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      await this.drop(key);
      throw error;
    }
  }

  /** Fences the previous owners of newly assigned partitions and lets go of the ones taken away. */
  assigned(partitions: readonly { topic: string; partition: number }[]): void {
    const keep = new Set(partitions.map((p) => `${p.topic}:${p.partition}`));
    for (const key of [...this.producers.keys()]) if (!keep.has(key)) void this.drop(key);
    for (const key of keep) void this.producerFor(key).catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.producers.keys()].map((key) => this.drop(key)));
  }

  private producerFor(key: string): Promise<Producer> {
    let producer = this.producers.get(key);
    if (!producer) {
      producer = this.initialised(key);
      this.producers.set(key, producer);
      producer.catch(() => this.producers.delete(key));
    }
    return producer;
  }

  private async initialised(key: string): Promise<Producer> {
    const producer = this.kafka.producer({
      transactionalId: `${this.transactionalIdPrefix}:${key}`,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
      // The first transaction registers the producer id, which fences an older owner of the id.
      const fence = await producer.transaction();
      await fence.abort();
      return producer;
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private async drop(key: string): Promise<void> {
    const producer = this.producers.get(key);
    this.producers.delete(key);
    const ready = await producer?.catch(() => null);
    await ready?.disconnect().catch(() => undefined);
  }
}

function byTopic(records: readonly OutgoingRecord[]) {
  const topics = new Map<string, Message[]>();
  for (const { topic, key, value } of records) {
    const messages = topics.get(topic);
    if (messages) messages.push({ key, value });
    else topics.set(topic, [{ key, value }]);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
