import { Kafka, Message, Producer } from 'kafkajs';
import { javaCompatiblePartitioner } from './kafka-partitioner';
import { groupsUpTo, MAX_DEAD_LETTER_SEND_BYTES } from './dead-letter';
import { StableCommittedOffsets } from './stable-committed-offset';

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
 * A newer producer took this partition's transactional id: the partition has another owner, so
 * this member must stop working on it until the group assigns it again. Recreating the producer
 * would fence the rightful owner in turn.
 */
export class PartitionLostError extends Error {
  override name = 'PartitionLostError';
}

const FENCING_ERRORS = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
/** INVALID_PRODUCER_EPOCH and PRODUCER_FENCED; kafkajs 2.2.4 knows the second by its code only. */
const FENCING_CODES = new Set([47, 90]);

/** Whether the broker refused because a newer producer holds the transactional id (nested in retries). */
export function isFenced(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth += 1) {
    const { type, code, originalError, cause } = e as Record<string, unknown>;
    if ((typeof type === 'string' && FENCING_ERRORS.has(type)) || FENCING_CODES.has(code as number))
      return true;
    e = originalError ?? cause;
  }
  return false;
}

/**
 * A transaction left open by a member that died blocks every read_committed reader of the
 * partitions it wrote to until the broker aborts it (or a new owner fences it). A batch takes
 * milliseconds; the broker allows up to 15 minutes, kafkajs asks for 60 s.
 */
const TRANSACTION_TIMEOUT_MS = 15_000;

/**
 * The producer's own retries. The broker answers CONCURRENT_TRANSACTIONS to the first send of a
 * transaction while it still writes the previous one's commit markers, a few milliseconds after
 * the commit returned; back to back, most transactions meet it. kafkajs retries it like any error,
 * after the client's 300 ms, which each such batch waited; Java's client retries it after 20 ms
 * (KAFKA-5477). Starting at 10 ms, the wait doubles up to the client's 10 s as before. Unlimited,
 * as kafkajs makes them for an idempotent producer: a limit may repeat a record (decision 0071).
 */
const PRODUCER_RETRY = { initialRetryTime: 10, maxRetryTime: 10_000, retries: Number.MAX_SAFE_INTEGER };

/**
 * One transactional producer per input partition, its transactionalId made of the group, the topic
 * and the partition. kafkajs sends no consumer-group metadata with the offsets (KIP-447), so this
 * is what fences a zombie: when a partition moves, its new owner's producer takes the same id and
 * the broker refuses the old owner's transaction (docs/decisions/0025).
 */
export class PartitionProducers {
  private readonly producers = new Map<string, Promise<Producer>>();
  /** The partitions of the last assignment, minus those a newer producer took since. */
  private readonly owned = new Set<string>();
  /** Partitions whose last commit failed without saying whether it took effect. */
  private readonly uncertain = new Set<string>();
  /** Partitions assigned since their last look at the group's committed offset. */
  private readonly fresh = new Set<string>();
  private readonly offsets: StableCommittedOffsets;

  constructor(
    private readonly kafka: Kafka,
    /** Distinguishes deployments sharing a cluster (the topic prefix is part of the group). */
    private readonly transactionalIdPrefix: string,
  ) {
    this.offsets = new StableCommittedOffsets(kafka);
  }

  /**
   * Produces `records` and commits the input offset as one transaction: both happen, or neither.
   * On any failure the transaction is aborted and the producer dropped, so the next attempt starts
   * from a fresh producer id (which also ends whatever the broker still holds open for the old one).
   */
  async commit(records: readonly OutgoingRecord[], input: InputPosition): Promise<void> {
    const key = `${input.topic}:${input.partition}`;
    if (!this.owned.has(key)) throw new PartitionLostError(`${key} is not assigned to this member`);
    const producer = await this.producerFor(key);
    // A commit that failed may still have committed (the broker took the EndTxn, the answer was
    // lost). The new producer's initialisation has completed whatever the coordinator held, so the
    // group's offset now says which: if it reached this batch's end, producing again would repeat it.
    if (this.uncertain.has(key)) {
      if (await this.committedThrough(input)) {
        this.uncertain.delete(key);
        return;
      }
      this.uncertain.delete(key);
    }
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
      if (!isFenced(error)) {
        this.uncertain.add(key);
        throw error;
      }
      this.owned.delete(key);
      throw new PartitionLostError(`${key} was fenced by a newer producer: another member owns it now`);
    }
  }

  /** Fences the previous owners of newly assigned partitions and lets go of the ones taken away. */
  assigned(partitions: readonly { topic: string; partition: number }[]): void {
    this.owned.clear();
    this.fresh.clear();
    for (const p of partitions) this.owned.add(`${p.topic}:${p.partition}`);
    for (const key of this.owned) this.fresh.add(key);
    for (const key of [...this.producers.keys()]) if (!this.owned.has(key)) void this.drop(key);
    for (const key of this.owned) void this.producerFor(key).catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.producers.keys()].map((key) => this.drop(key)));
    await this.offsets.close();
  }

  /**
   * For the first batch after an assignment: the offset the group has committed for the partition,
   * read once this member's producer for it is initialised. kafkajs reads the offset to start from
   * without waiting for pending transactional offsets (no require_stable), so it may be the one from
   * before the previous owner's last transaction, which initialising the producer has just seen
   * through to its end; this read waits until that transaction's offset is applied
   * (StableCommittedOffsets), so messages below it were decided and answered already.
   * Null for later batches, or when the group has no offset.
   */
  async resumeOffset(input: Omit<InputPosition, 'nextOffset'>): Promise<bigint | null> {
    const key = `${input.topic}:${input.partition}`;
    if (!this.fresh.has(key)) return null;
    if (!this.owned.has(key)) throw new PartitionLostError(`${key} is not assigned to this member`);
    await this.producerFor(key);
    const committed = await this.committedOffset(input);
    this.fresh.delete(key);
    return committed;
  }

  /** Whether the group's committed offset for the input partition has reached the batch's end. */
  private async committedThrough(input: InputPosition): Promise<boolean> {
    const committed = await this.committedOffset(input);
    return committed !== null && committed >= BigInt(input.nextOffset);
  }

  private committedOffset(input: Omit<InputPosition, 'nextOffset'>): Promise<bigint | null> {
    return this.offsets.read(input.groupId, input.topic, input.partition);
  }

  private producerFor(key: string): Promise<Producer> {
    let producer = this.producers.get(key);
    if (!producer) {
      const created = this.initialised(key);
      producer = created;
      this.producers.set(key, created);
      created.catch(() => {
        if (this.producers.get(key) === created) this.producers.delete(key);
      });
    }
    return producer;
  }

  private async initialised(key: string): Promise<Producer> {
    const producer = this.kafka.producer({
      transactionalId: `${this.transactionalIdPrefix}:${key}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: TRANSACTION_TIMEOUT_MS,
      retry: PRODUCER_RETRY,
      allowAutoTopicCreation: false,
      createPartitioner: javaCompatiblePartitioner,
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
