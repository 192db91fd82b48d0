import { Kafka } from 'kafkajs';
import type { LagReading } from './health/consumer-readiness';
import type { Metrics } from './metrics';

/**
 * Consumer lag per topic and partition, from the group's committed offsets and the topics' ends,
 * asked of the broker on a timer: a consumer that is stuck commits nothing, so only an outside look
 * sees its lag grow.
 */
export class LagMonitor {
  private timer: NodeJS.Timeout | null = null;
  private admin: ReturnType<Kafka['admin']> | null = null;
  private measuring: Promise<void> | null = null;
  private reading: LagReading | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly metrics: Metrics,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly intervalMs = 15_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      // A slow broker must not pile up measurements (nor admin clients).
      this.measuring ??= this.measure()
        .catch(() => undefined)
        .finally(() => (this.measuring = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.measuring;
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** The last measurement, for readiness (which asks the broker nothing itself); null before the first. */
  latest(): LagReading | null {
    return this.reading;
  }

  async measure(): Promise<void> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const committed = await this.admin.fetchOffsets({ groupId: this.groupId, topics: [...this.topics] });
    const gauge = this.metrics.get('consumerLag');
    const lag = new Map<string, number>();
    for (const { topic, partitions } of committed) {
      const ends = new Map(
        (await this.admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
      );
      for (const p of partitions) {
        const end = ends.get(p.partition) ?? 0;
        const done = Number(p.offset) < 0 ? 0 : Number(p.offset);
        gauge.set({ group: this.groupId, topic, partition: String(p.partition) }, Math.max(end - done, 0));
        lag.set(`${topic}[${p.partition}]`, Math.max(end - done, 0));
      }
    }
    this.reading = { at: Date.now(), lag };
  }
}
