import { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { describeError, retryWithBackoff } from '@abuse-monitor/runtime';
import { Assignment, BatchContext, GroupConsumer, GroupConsumerOptions } from './group-consumer';
import { OutgoingRecord, PartitionLostError, PartitionProducers } from './partition-producers';

/** What a batch became: the records to produce, and what to do once they and the offsets are committed. */
export interface ProducedBatch {
  records: OutgoingRecord[];
  /** Runs after the commit only (metrics, what the stage remembers), so a retried batch counts once. */
  committed?: () => void;
}

/**
 * Turns one fetched batch into records. It must not write anywhere itself: whatever it returns is
 * produced in the batch's transaction, and a batch whose transaction failed is transformed again.
 */
export type BatchTransform = (messages: KafkaMessage[], context: BatchContext) => ProducedBatch;

export interface TransactionalBatchConsumerOptions extends GroupConsumerOptions {
  transform: BatchTransform;
  /** Called for every failed attempt that will be retried (the batch failures metric). */
  onFailedAttempt?: (context: BatchContext, error: unknown) => void;
}

/**
 * A consume-transform-produce stage: each fetched batch is transformed, and its records and its
 * input offset are committed in one Kafka transaction (one producer per input partition, see
 * PartitionProducers). Downstream consumers read committed records only, so a crash at any point
 * leaves either all of a batch's records and its offset, or none, and the batch comes again.
 */
export class TransactionalBatchConsumer extends GroupConsumer<TransactionalBatchConsumerOptions> {
  private readonly producers = new PartitionProducers(this.kafka, this.options.groupId);

  protected override assigned(assignment: Assignment): void {
    this.producers.assigned(
      Object.entries(assignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => ({ topic, partition })),
      ),
    );
  }

  protected override stopped(): Promise<void> {
    return this.producers.close();
  }

  protected async consumeBatch(_consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, resolveOffset } = payload;
    const context = this.batchContext(payload);
    if (context === null) return;
    const last = batch.messages[batch.messages.length - 1].offset;
    const input = {
      groupId: this.options.groupId,
      topic: batch.topic,
      partition: batch.partition,
      nextOffset: (BigInt(last) + 1n).toString(),
    };
    // A heartbeat refused in a rebalance means the partition may be someone else's by now: the
    // batch is left to its next owner rather than retried (a retry would fence that owner).
    let rebalancing = false;
    const keepAlive = () =>
      heartbeat().catch((error: unknown) => {
        rebalancing = true;
        throw error;
      });
    const stillOurs = () => context.shouldContinue() && !rebalancing;
    const committed = await retryWithBackoff(
      async () => {
        // After an assignment, skip what the previous owner's last transaction already decided.
        const from = await this.producers.resumeOffset(input);
        const messages =
          from === null ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) >= from);
        if (messages.length === 0) return null;
        const produced = this.options.transform(messages, context);
        await this.producers.commit(produced.records, input);
        return produced;
      },
      {
        what: `transform ${batch.messages.length} messages of ${batch.topic}[${batch.partition}]`,
        shouldContinue: stillOurs,
        whileWaiting: keepAlive,
        onRetry: (attempt, delayMs, error) => {
          if (error instanceof PartitionLostError) rebalancing = true;
          this.options.onFailedAttempt?.(context, error);
          this.options.log(
            'warn',
            `committing ${batch.topic}[${batch.partition}] up to offset ${last} failed (attempt ${attempt}): ${describeError(error)}; ` +
              (rebalancing ? 'leaving it to its new owner' : `retrying in ${delayMs} ms`),
          );
        },
      },
    );
    // Outside the retry: the batch is committed, whatever its bookkeeping does.
    try {
      committed?.committed?.();
    } catch (error) {
      this.options.log(
        'error',
        `after committing ${batch.topic}[${batch.partition}]: ${describeError(error)}`,
      );
    }
    resolveOffset(last);
    await heartbeat();
  }
}
