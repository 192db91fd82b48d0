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
}

/**
 * For failures that no retry gets past, because of what one message holds (a value the database
 * refuses). The batch is then handled one message at a time; a message that fails that way on its
 * own is handed to `message` (which dead-letters it) and the partition moves on past it.
 */
export interface SetAside {
  isPermanent: (error: unknown) => boolean;
  message: (message: KafkaMessage, context: BatchContext, error: unknown) => Promise<void>;
}

/**
 * A kafkajs consumer that commits a batch's offsets only after its handler succeeded, keeps
 * retrying a failing handler with back-off (heart-beating so it keeps its partitions), and
 * recreates itself after a crash kafkajs does not recover from. stop() lets the batch in hand
 * finish and commit before it disconnects.
 */
export class BatchConsumer {
  private consumer: Consumer | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wakeUp: () => void = () => undefined;
  private joinedOnce = false;
  private readonly joinedWaiters: (() => void)[] = [];

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
    await retryWithBackoff(() => this.handle(batch.messages, context), {
      what: `handle ${batch.messages.length} messages of ${batch.topic}[${batch.partition}]`,
      shouldContinue: context.shouldContinue,
      whileWaiting: heartbeat,
      onRetry: (attempt, delayMs, error) =>
        this.options.log(
          'warn',
          `handling ${batch.topic}[${batch.partition}] up to offset ${last} failed (attempt ${attempt}): ${describeError(error)}; retrying in ${delayMs} ms`,
        ),
    });
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
    ]);
    resolveOffset(last);
    await heartbeat();
  }

  private async handle(messages: KafkaMessage[], context: BatchContext): Promise<void> {
    const { handler, setAside, log } = this.options;
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
          await setAside.message(message, context, alone);
        }
        await context.heartbeat();
      }
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
