import { describeError, backoffDelay } from '@abuse-monitor/runtime';
import { LogSink } from './kafka-client';
import { Publisher } from './publisher';

export interface PendingMessage {
  topic: string;
  key: string | null;
  payload: string;
}

/** Where the relay finds what to publish; implemented over the outbox table. */
export interface OutboxSource {
  publishPending(limit: number, publish: (rows: PendingMessage[]) => Promise<void>): Promise<number>;
  prunePublished(olderThanSeconds: number): Promise<number>;
}

export interface OutboxRelayOptions {
  batchSize?: number;
  pollIntervalMs?: number;
  retentionSeconds?: number;
}

/**
 * Publishes the outbox to Kafka: at least once, in commit order within a relay. Woken right after
 * a transaction that wrote to the outbox, and polls besides, so rows written by other replicas
 * or left by a crash also leave.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: () => void = () => undefined;
  private pendingWake = false;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retentionSeconds: number;

  constructor(
    private readonly source: OutboxSource,
    private readonly publisher: Publisher,
    private readonly log: LogSink,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.retentionSeconds = options.retentionSeconds ?? 86_400;
  }

  start(): void {
    if (this.loop) return;
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp();
  }

  /** Publishes what is pending (for at most `drainMs`) and stops. */
  async stop(drainMs = 10_000): Promise<void> {
    if (!this.loop) return;
    this.running = false;
    this.wakeUp();
    await this.loop;
    this.loop = null;
    const deadline = Date.now() + drainMs;
    try {
      while (Date.now() < deadline && (await this.publishOnce(deadline)) === this.batchSize);
    } catch (error) {
      this.log(
        'warn',
        `outbox not fully drained at shutdown (the next start publishes it): ${describeError(error)}`,
      );
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    let cycles = 0;
    while (this.running) {
      try {
        const published = await this.publishOnce(Date.now() + 15_000);
        failures = 0;
        if ((cycles += 1) % 1_000 === 0) await this.source.prunePublished(this.retentionSeconds);
        if (published === this.batchSize) continue;
        await this.idle(this.pollIntervalMs);
      } catch (error) {
        failures += 1;
        const delayMs = backoffDelay(failures, 500, 30_000);
        this.log(
          'warn',
          `outbox relay failed (attempt ${failures}): ${describeError(error)}; retrying in ${delayMs} ms`,
        );
        await this.idle(delayMs);
      }
    }
  }

  /**
   * One batch. Publishing happens inside the outbox transaction, so it gives up at `deadline`
   * rather than hold the transaction open through a long broker outage.
   */
  private publishOnce(deadline: number): Promise<number> {
    return this.source.publishPending(this.batchSize, async (rows) => {
      for (const [topic, messages] of groupByTopicInOrder(rows)) {
        await this.publisher.send(topic, messages, () => Date.now() < deadline);
      }
    });
  }

  private idle(ms: number): Promise<void> {
    if (this.pendingWake || !this.running) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.pendingWake = false;
    });
  }
}

function groupByTopicInOrder(rows: PendingMessage[]): Map<string, { key: string | null; value: string }[]> {
  const groups = new Map<string, { key: string | null; value: string }[]>();
  for (const row of rows) {
    const group = groups.get(row.topic) ?? [];
    group.push({ key: row.key, value: row.payload });
    groups.set(row.topic, group);
  }
  return groups;
}
