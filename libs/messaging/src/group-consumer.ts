import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { backoffDelay, describeError } from '@abuse-monitor/runtime';
import { ensureTopics, TopicSpec } from './ensure-topics';
import { LogSink } from './kafka-client';

export interface BatchContext {
  topic: string;
  partition: number;
  /** False once the consumer is stopping or the partition was taken away by a rebalance. */
  shouldContinue: () => boolean;
  heartbeat: () => Promise<void>;
}

/** What every consumer group member of ours is told: where to read, how to log, how to fetch. */
export interface GroupConsumerOptions {
  groupId: string;
  topics: string[];
  log: LogSink;
  maxBytesPerPartition?: number;
  /**
   * How long the broker may hold a fetch to gather more (up to fetchMinBytes): under a steady
   * load, a batch then carries what arrived meanwhile instead of a few messages, so the cost of a
   * batch (a transaction, a dozen statements) is shared by more reports. Default 50 ms.
   */
  fetchMaxWaitMs?: number;
  /** What a fetch waits for (or fetchMaxWaitMs) before it answers; default 1 MiB. */
  fetchMinBytes?: number;
  /**
   * After a fetch that brought nothing, the next asks for any byte and lets the broker hold it
   * this long, answering as soon as a record arrives (decision 0080): an idle member asks a few
   * times a second instead of every fetchMaxWaitMs. Default 500 ms, Kafka's own consumer's wait;
   * at least 100, and with the heartbeat interval (3 s) under the session timeout. An idle member
   * stops, and notices a rebalance, up to this much later.
   */
  fetchIdleWaitMs?: number;
  sessionTimeoutMs?: number;
  /** Batches of different partitions handled at once; default 1. */
  partitionsConsumedConcurrently?: number;
  /** Topics to create (if missing) before subscribing: what the app reads and writes. */
  topicsToCreate?: TopicSpec[];
}

/** Enough for a full batch of every partition; a fetch waits for this much, or fetchMaxWaitMs. */
const FETCH_MIN_BYTES = 1_048_576;
const FETCH_MAX_WAIT_MS = 50;
const FETCH_IDLE_WAIT_MS = 500;
const SESSION_TIMEOUT_MS = 30_000;
const HEARTBEAT_INTERVAL_MS = 3_000;

/** The partitions this member was given at its last join, by topic. */
export type Assignment = Record<string, number[]>;

/**
 * Where a member stands, for its readiness: a snapshot with times in epoch milliseconds, read by
 * the health endpoint (which judges it) without asking the broker anything.
 */
export interface GroupConsumerStatus {
  /**
   * connecting: not yet in its group (start-up, or after a crash it is recovering from);
   * rebalancing: in a live group, waiting for its partitions; joined: consuming what it was given;
   * stopping: shutting down.
   */
  state: 'connecting' | 'rebalancing' | 'joined' | 'stopping';
  /** Since when it is in that state. */
  since: number;
  /** Failed attempts to connect or subscribe since it last joined (0 once joined). */
  failedConnects: number;
  assignment: Assignment;
  /** When a batch last went through (committed), or null. */
  lastBatchAt: number | null;
  /** Batches in hand now, with when each was taken. */
  inFlight: { topic: string; partition: number; since: number }[];
}

/**
 * A kafkajs consumer group member that recreates itself after a crash kafkajs does not recover
 * from, waits for the broker at start, and lets the batch in hand finish on stop() before it
 * disconnects. How a batch is handled and committed is the subclass's: after a database commit
 * (BatchConsumer) or in a Kafka transaction with what it produced (TransactionalBatchConsumer).
 */
export abstract class GroupConsumer<O extends GroupConsumerOptions = GroupConsumerOptions> {
  private consumer: Consumer | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wakeUp: () => void = () => undefined;
  private joinedOnce = false;
  private readonly joinedWaiters: (() => void)[] = [];
  private state: GroupConsumerStatus['state'] = 'connecting';
  private stateSince = Date.now();
  private failedConnects = 0;
  private assignment: Assignment = {};
  private lastBatchAt: number | null = null;
  private readonly inFlight = new Map<string, { topic: string; partition: number; since: number }>();

  constructor(
    protected readonly kafka: Kafka,
    protected readonly options: O,
  ) {
    // kafkajs heart-beats between fetches only: a long poll must end well inside the session.
    const idleWait = options.fetchIdleWaitMs ?? FETCH_IDLE_WAIT_MS;
    const session = options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS;
    if (!(idleWait >= 100 && idleWait + HEARTBEAT_INTERVAL_MS < session))
      throw new RangeError(
        `fetchIdleWaitMs must be at least 100 ms and leave the heartbeat interval (${HEARTBEAT_INTERVAL_MS} ms) ` +
          `inside the session timeout (${session} ms), not ${idleWait}`,
      );
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.supervise();
  }

  /** Resolves when the consumer has joined its group for the first time. */
  joined(): Promise<void> {
    if (this.joinedOnce) return Promise.resolve();
    return new Promise((resolve) => this.joinedWaiters.push(resolve));
  }

  /** Where this member stands now (for readiness); asks the broker nothing. */
  status(): GroupConsumerStatus {
    return {
      state: this.state,
      since: this.stateSince,
      failedConnects: this.failedConnects,
      assignment: this.assignment,
      lastBatchAt: this.lastBatchAt,
      inFlight: [...this.inFlight.values()],
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.enter('stopping');
    this.wakeUp();
    // disconnect() waits for the batch in hand, which commits before it returns.
    await this.consumer?.disconnect().catch(() => undefined);
    await this.loop;
    await this.stopped();
  }

  protected abstract consumeBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void>;

  /** The batch's place and liveness for its handler; null when there is nothing to handle. */
  protected batchContext(payload: EachBatchPayload): BatchContext | null {
    const { batch, heartbeat, isRunning, isStale } = payload;
    if (batch.messages.length === 0 || isStale()) return null;
    return {
      topic: batch.topic,
      partition: batch.partition,
      shouldContinue: () => isRunning() && !isStale(),
      heartbeat,
    };
  }

  /** Called after every join with this member's partitions. */
  protected assigned(_assignment: Assignment): void {}

  /** A fetch whose records were all transaction markers or aborted: kafkajs gives it no batch. */
  protected passedOver(_consumer: Consumer, _topic: string, _partition: number, _lastOffset: string): void {}

  /** Called once the consumer has disconnected for good. */
  protected async stopped(): Promise<void> {}

  private enter(state: GroupConsumerStatus['state']): void {
    if (this.state === 'stopping' || this.state === state) return;
    this.state = state;
    this.stateSince = Date.now();
  }

  /** Runs a batch, keeping what readiness needs: which batches are in hand, and the last one through. */
  private async tracked(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const key = `${payload.batch.topic}\u0000${payload.batch.partition}`;
    this.inFlight.set(key, {
      topic: payload.batch.topic,
      partition: payload.batch.partition,
      since: Date.now(),
    });
    try {
      await this.consumeBatch(consumer, payload);
      if (payload.batch.messages.length > 0 && !payload.isStale()) this.lastBatchAt = Date.now();
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async supervise(): Promise<void> {
    const { log, groupId, topics } = this.options;
    let topicsCreated = false;
    for (let attempt = 1; !this.stopping; attempt += 1) {
      const consumer = this.createConsumer();
      this.consumer = consumer;
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.batchSize === 0)
          this.passedOver(consumer, payload.topic, payload.partition, payload.lastOffset);
      });
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
          eachBatch: (payload) => this.tracked(consumer, payload),
        });
        attempt = 0;
        const failure = await Promise.race([crashed, stopped]);
        if (this.stopping) break;
        this.enter('connecting');
        log(
          'error',
          `consumer of ${topics.join(', ')} (group ${groupId}) crashed: ${describeError(failure)}; restarting`,
        );
      } catch (error) {
        if (this.stopping) break;
        this.failedConnects += 1;
        this.enter('connecting');
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
      sessionTimeout: this.options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1_048_576,
      minBytes: this.options.fetchMinBytes ?? FETCH_MIN_BYTES,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? FETCH_MAX_WAIT_MS,
      // patches/kafkajs+2.2.4.patch: the long poll of an idle member.
      idleMaxWaitTimeInMs: this.options.fetchIdleWaitMs ?? FETCH_IDLE_WAIT_MS,
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.options.log(
        'log',
        `joined group ${event.payload.groupId} with partitions ${JSON.stringify(event.payload.memberAssignment)}`,
      );
      this.assigned(event.payload.memberAssignment);
      this.assignment = event.payload.memberAssignment;
      this.failedConnects = 0;
      this.enter('joined');
      this.joinedOnce = true;
      this.joinedWaiters.splice(0).forEach((resolve) => resolve());
    });
    consumer.on(consumer.events.REBALANCING, () => this.enter('rebalancing'));
    // A crash kafkajs restarts from by itself leaves the group until the next join.
    consumer.on(consumer.events.CRASH, () => this.enter('connecting'));
    return consumer;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
