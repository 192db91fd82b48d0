import { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { describeError, retryWithBackoff } from '@abuse-monitor/runtime';
import { BatchContext, GroupConsumer, GroupConsumerOptions } from './group-consumer';

export type { BatchContext } from './group-consumer';

/**
 * Handles one fetched batch of one partition. It must be idempotent: after a crash between its
 * database commit and the offset commit, the same messages come again. It throws only for
 * failures worth retrying (broker or database unavailable); bad messages are its own business.
 */
export type BatchHandler = (messages: KafkaMessage[], context: BatchContext) => Promise<void>;

export interface BatchConsumerOptions extends GroupConsumerOptions {
  handler: BatchHandler;
  /** Without it, every failure is retried until it passes. */
  setAside?: SetAside;
  /** Called for every failed attempt that will be retried (the batch failures metric). */
  onFailedAttempt?: (context: BatchContext, error: unknown) => void;
}

/**
 * For failures that no retry gets past, because of what one message holds (a value the database
 * refuses). The batch is then handled one message at a time; a message that fails that way on its
 * own is handed to `message` (which dead-letters it) and the partition moves on past it.
 */
export interface SetAside {
  isPermanent: (error: unknown) => boolean;
  /** The refusal in words safe for logs; refusals in the same words have one cause. */
  describe: (error: unknown) => string;
  message: (message: KafkaMessage, context: BatchContext, description: string) => Promise<void>;
}

/**
 * One poisoned message is rare. The same refusal again and again is a fault of ours (code ahead of
 * the schema, a migration not run): setting aside every message would empty the topic into the
 * dead letters. Past this many, a cause is retried like any other failure for as long as the
 * process runs, so the partition stops and the consumer-failing alert pages someone to fix it.
 */
export const SET_ASIDE_LIMIT = { refusals: 5, windowMs: 10 * 60_000 };

/** How many messages each cause has had set aside lately, and which causes went past the limit. */
export class SetAsideBudget {
  private readonly recent = new Map<string, number[]>();
  private readonly tripped = new Set<string>();

  constructor(private readonly limit = SET_ASIDE_LIMIT) {}

  /** Takes one set-aside for this cause at `now`, unless the cause has used up its budget. */
  take(cause: string, now: number): boolean {
    if (this.tripped.has(cause)) return false;
    const times = (this.recent.get(cause) ?? []).filter((t) => t > now - this.limit.windowMs);
    if (times.length >= this.limit.refusals) {
      this.tripped.add(cause);
      this.recent.delete(cause);
      return false;
    }
    times.push(now);
    this.recent.set(cause, times);
    return true;
  }
}

/**
 * A consumer group member that commits a batch's offsets only after its handler succeeded (a
 * database commit), keeps retrying a failing handler with back-off (heart-beating so it keeps its
 * partitions) and sets aside a message the handler cannot store for what it holds (`setAside`).
 */
export class BatchConsumer extends GroupConsumer<BatchConsumerOptions> {
  private readonly setAsideBudget = new SetAsideBudget();

  /**
   * Commits past a fetch of markers only (the marker of a transaction whose records came in an
   * earlier fetch). Nothing is handled, so nothing can be lost; partitions are fetched one batch
   * after another, so this commit goes out before the partition's next one.
   */
  protected override passedOver(
    consumer: Consumer,
    topic: string,
    partition: number,
    lastOffset: string,
  ): void {
    if (!/^[0-9]+$/.test(lastOffset)) return;
    void consumer
      .commitOffsets([{ topic, partition, offset: (BigInt(lastOffset) + 1n).toString() }])
      .catch((error: unknown) =>
        this.options.log(
          'warn',
          `committing past markers of ${topic}[${partition}] failed: ${describeError(error)}`,
        ),
      );
  }

  protected async consumeBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, resolveOffset } = payload;
    const context = this.batchContext(payload);
    if (context === null) return;
    const last = batch.messages[batch.messages.length - 1].offset;
    // Messages handled one by one are committed as they pass, so a retry starts after them.
    let remaining = batch.messages;
    const passed = async (message: KafkaMessage) => {
      const next = (BigInt(message.offset) + 1n).toString();
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
      resolveOffset(message.offset);
      remaining = remaining.slice(remaining.indexOf(message) + 1);
    };
    await retryWithBackoff(() => this.handle(remaining, context, passed), {
      what: `handle ${batch.messages.length} messages of ${batch.topic}[${batch.partition}]`,
      shouldContinue: context.shouldContinue,
      whileWaiting: heartbeat,
      onRetry: (attempt, delayMs, error) => {
        this.options.onFailedAttempt?.(context, error);
        this.options.log(
          'warn',
          `handling ${batch.topic}[${batch.partition}] up to offset ${last} failed (attempt ${attempt}): ${describeError(error)}; retrying in ${delayMs} ms`,
        );
      },
    });
    // Past the batch's last record, not its last message: a topic written in transactions (ingest's)
    // ends each one with a marker, which no handler sees; committing up to it would leave the group
    // an offset behind every transaction, and its lag would never read 0.
    const end = batch.lastOffset();
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(end) + 1n).toString() },
    ]);
    resolveOffset(end);
    await heartbeat();
  }

  private async handle(
    messages: KafkaMessage[],
    context: BatchContext,
    passed: (message: KafkaMessage) => Promise<void>,
  ): Promise<void> {
    const { handler, setAside, log } = this.options;
    if (messages.length === 0) return;
    try {
      await handler(messages, context);
    } catch (error) {
      if (!setAside?.isPermanent(error)) throw error;
      const where = `${context.topic}[${context.partition}]@${messages[0].offset}-${messages[messages.length - 1].offset}`;
      log('warn', `${where} failed for its data; handling its ${messages.length} messages one by one`);
      // Each alone: the handler is idempotent, so the ones it already stored are skipped.
      for (const message of messages) {
        if (!context.shouldContinue()) throw error;
        try {
          await handler([message], context);
        } catch (alone) {
          if (!setAside.isPermanent(alone)) throw alone;
          const cause = setAside.describe(alone);
          if (!this.setAsideBudget.take(cause, Date.now())) {
            log(
              'error',
              `${context.topic}[${context.partition}]@${message.offset}: more than ${SET_ASIDE_LIMIT.refusals} messages refused ` +
                `within ${SET_ASIDE_LIMIT.windowMs / 60_000} minutes for the same cause (${cause}): taken for a fault of ours, ` +
                'not of the messages; retrying until it is fixed (a restart resets this)',
            );
            throw alone;
          }
          await setAside.message(message, context, cause);
        }
        await passed(message);
        // A heartbeat refused in a rebalance is not this message's failure; shouldContinue says so next.
        await context.heartbeat().catch(() => undefined);
      }
    }
  }
}
