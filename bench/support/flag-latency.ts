import { Kafka } from 'kafkajs';

/** The value at rank ceil(p × n) of the sorted values (nearest rank); NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

interface Crossing {
  publishedAt: number;
  receivedAt: string;
}

export interface FlagLatencySummary {
  expected: number;
  seen: number;
  /** Flags that opened at another report's moment than the crossing one (should be 0). */
  openedElsewhere: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Matches subscriber.flags events to the reports that made them: for each target number, the
 * report of its threshold-th distinct reporter (see FlagTargets). Its latency is from the moment
 * the bench published that report to the moment the bench read the number's 'opened' event.
 * The event's occurredAt is the crossing report's receivedAt when the flag opened where the bench
 * planned; anything else is counted as opened elsewhere (and still measured).
 */
export class FlagLatency {
  private readonly crossings = new Map<string, Crossing>();
  private readonly latencies: number[] = [];
  private openedElsewhere = 0;

  /** The report that should open `reportedNumber`'s flag was published at `publishedAt`. */
  expect(reportedNumber: string, publishedAt: number, receivedAt: number): void {
    this.crossings.set(reportedNumber, { publishedAt, receivedAt: new Date(receivedAt).toISOString() });
  }

  /** A subscriber.flags message, read at `seenAt`. */
  observe(value: Buffer | null, seenAt: number): void {
    if (value === null) return;
    const event = JSON.parse(value.toString('utf8')) as {
      type?: string;
      reportedNumber?: string;
      occurredAt?: string;
    };
    if (event.type !== 'opened' || event.reportedNumber === undefined) return;
    const crossing = this.crossings.get(event.reportedNumber);
    if (crossing === undefined) return; // background traffic, or seen already
    this.crossings.delete(event.reportedNumber);
    this.latencies.push(seenAt - crossing.publishedAt);
    if (event.occurredAt !== crossing.receivedAt) this.openedElsewhere += 1;
  }

  /** Whether every expected flag has been seen. */
  get complete(): boolean {
    return this.crossings.size === 0;
  }

  summary(): FlagLatencySummary {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      expected: sorted.length + this.crossings.size,
      seen: sorted.length,
      openedElsewhere: this.openedElsewhere,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1) ?? NaN,
    };
  }
}

/**
 * Reads subscriber.flags from its beginning into `latency`, in a group of its own. Resolves once
 * the group has been joined, so that no event waits for the bench's own start-up.
 */
export async function watchFlagEvents(
  kafka: Kafka,
  topic: string,
  groupId: string,
  latency: FlagLatency,
): Promise<{ stop: () => Promise<void> }> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const seenAt = Date.now();
      for (const message of batch.messages) latency.observe(message.value, seenAt);
    },
  });
  await joined;
  return { stop: () => consumer.disconnect() };
}
