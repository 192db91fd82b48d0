import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { backoffDelay, describeError, retryWithBackoff } from '@abuse-monitor/runtime';
import { ensureTopics, TopicSpec } from './ensure-topics';
import { LogSink } from './kafka-client';

export interface BatchContext {
  topic: string;
  partition: number;
  /** False once the consumer is stopping or the partition was taken away by a rebalance. */
  shouldContinue: () => boolean;
  heartbeat: () => Promise<void>;
}

/**
 * Handles one fetched batch of one partition. It must be idempotent: after a crash between its
 * database commit and the offset commit, the same messages come again. It throws only for
 * failures worth retrying (broker or database unavailable); bad messages are its own business.
 */
export type BatchHandler = (messages: KafkaMessage[], context: BatchContext) => Promise<void>;

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  handler: BatchHandler;
  log: LogSink;
  maxBytesPerPartition?: number;
  sessionTimeoutMs?: number;
  /** Batches of different partitions handled at once (each in its own transaction); default 1. */
  partitionsConsumedConcurrently?: number;
  /** Topics to create (if missing) before subscribing: what the app reads and writes. */
  topicsToCreate?: TopicSpec[];
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
 * A kafkajs consumer that commits a batch's offsets only after its handler succeeded, keeps
 * retrying a failing handler with back-off (heart-beating so it keeps its partitions), sets aside a
 * message the handler cannot store for what it holds (`setAside`), and recreates itself after a
 * crash kafkajs does not recover from. stop() lets the batch in hand finish and commit before it
 * disconnects.
 */
export class BatchConsumer {
  private consumer: Consumer | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wakeUp: () => void = () => undefined;
  private joinedOnce = false;
  private readonly joinedWaiters: (() => void)[] = [];
  private readonly setAsideBudget = new SetAsideBudget();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BatchConsumerOptions,
  ) {}

  start(): void {
    if (this.loop) return;
    this.loop = this.supervise();
  }

  /** Resolves when the consumer has joined its group for the first time. */
  joined(): Promise<void> {
    if (this.joinedOnce) return Promise.resolve();
    return new Promise((resolve) => this.joinedWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp();
    // disconnect() waits for the batch in hand, which commits before it returns.
    await this.consumer?.disconnect().catch(() => undefined);
    await this.loop;
  }

  private async supervise(): Promise<void> {
    const { log, groupId, topics } = this.options;
    let topicsCreated = false;
    for (let attempt = 1; !this.stopping; attempt += 1) {
      const consumer = this.createConsumer();
      this.consumer = consumer;
      const crashed = new Promise<unknown>((resolve) => {
        consumer.on(consumer.events.CRASH, (event) => {
          if (!event.payload.restart) resolve(event.payload.error);
        });
      });
      const stopped = new Promise<void>((resolve) => (this.wakeUp = resolve));
      try {
        if (this.options.topicsToCreate && !topicsCreated) {
          const created = await ensureTopics(this.kafka, this.options.topicsToCreate);
          if (created.length > 0) log('log', `created topics ${created.join(', ')}`);
          topicsCreated = true;
        }
        await consumer.connect();
        await consumer.subscribe({ topics, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
          eachBatch: (payload) => this.consumeBatch(consumer, payload),
        });
        attempt = 0;
        const failure = await Promise.race([crashed, stopped]);
        if (this.stopping) break;
        log(
          'error',
          `consumer of ${topics.join(', ')} (group ${groupId}) crashed: ${describeError(failure)}; restarting`,
        );
      } catch (error) {
        if (this.stopping) break;
        log(
          'error',
          `cannot consume ${topics.join(', ')} (group ${groupId}, attempt ${attempt}): ${describeError(error)}; retrying`,
        );
      }
      await consumer.disconnect().catch(() => undefined);
      if (this.stopping) break;
      await Promise.race([stopped, sleep(backoffDelay(Math.max(attempt, 1), 1_000, 30_000))]);
    }
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private createConsumer(): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1_048_576,
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.options.log(
        'log',
        `joined group ${event.payload.groupId} with partitions ${JSON.stringify(event.payload.memberAssignment)}`,
      );
      this.joinedOnce = true;
      this.joinedWaiters.splice(0).forEach((resolve) => resolve());
    });
    return consumer;
  }

  private async consumeBatch(
    consumer: Consumer,
    payload: Parameters<NonNullable<Parameters<Consumer['run']>[0]>['eachBatch'] & {}>[0],
  ): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    if (batch.messages.length === 0 || isStale()) return;
    const context: BatchContext = {
      topic: batch.topic,
      partition: batch.partition,
      shouldContinue: () => isRunning() && !isStale(),
      heartbeat,
    };
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
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
    ]);
    resolveOffset(last);
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
