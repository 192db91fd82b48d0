import { Kafka, KafkaMessage } from 'kafkajs';

/** The value at rank ceil(p × n) of the sorted values (nearest rank); NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

interface Crossing {
  publishedAt: number;
  receivedAt: string;
}

/** One crossing report's way to its flag event, as the bench saw it (epoch ms). */
export interface FlagPath {
  reportedNumber: string;
  publishedAt: number;
  /** The flag event's record timestamp: when the relay handed it to kafkajs. */
  producedAt: number;
  seenAt: number;
  /** The crossing report's record on reports.accepted, where the bench read that topic. */
  accepted?: AcceptedRecord;
}

/** When ingest handed a report's record to kafkajs (its timestamp) and when the bench could read it. */
export interface AcceptedRecord {
  producedAt: number;
  seenAt: number;
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
  private readonly planned = new Map<string, Crossing>();
  private readonly accepted = new Map<string, AcceptedRecord>();
  private readonly seen = new Map<string, FlagPath>();
  private openedElsewhere = 0;

  /** The report that should open `reportedNumber`'s flag was published at `publishedAt`. */
  expect(reportedNumber: string, publishedAt: number, receivedAt: number): void {
    this.planned.set(reportedNumber, { publishedAt, receivedAt: new Date(receivedAt).toISOString() });
  }

  /**
   * A reports.accepted message (keyed by the reported number), read at `seenAt`: read committed,
   * so after ingest's transaction. Only a crossing report's value is parsed.
   */
  observeAccepted(key: Buffer | null, value: Buffer | null, timestamp: string, seenAt: number): void {
    if (key === null || value === null) return;
    const reportedNumber = key.toString('utf8');
    const crossing = this.planned.get(reportedNumber);
    if (crossing === undefined || this.accepted.has(reportedNumber)) return;
    const report = JSON.parse(value.toString('utf8')) as { receivedAt?: string };
    if (report.receivedAt !== crossing.receivedAt) return; // the number's earlier reports
    this.accepted.set(reportedNumber, { producedAt: Number(timestamp), seenAt });
  }

  /** A subscriber.flags message with its record timestamp, read at `seenAt`. */
  observe(value: Buffer | null, timestamp: string, seenAt: number): void {
    if (value === null) return;
    const event = JSON.parse(value.toString('utf8')) as {
      type?: string;
      reportedNumber?: string;
      occurredAt?: string;
    };
    if (event.type !== 'opened' || event.reportedNumber === undefined) return;
    const crossing = this.planned.get(event.reportedNumber);
    // Background traffic, or seen already.
    if (crossing === undefined || this.seen.has(event.reportedNumber)) return;
    this.seen.set(event.reportedNumber, {
      reportedNumber: event.reportedNumber,
      publishedAt: crossing.publishedAt,
      producedAt: Number(timestamp),
      seenAt,
    });
    if (event.occurredAt !== crossing.receivedAt) this.openedElsewhere += 1;
  }

  /** Whether every expected flag has been seen. */
  get complete(): boolean {
    return this.seen.size === this.planned.size;
  }

  /** The flags seen so far, each with its times. */
  paths(): readonly FlagPath[] {
    return [...this.seen.values()].map((path) => ({
      ...path,
      accepted: this.accepted.get(path.reportedNumber),
    }));
  }

  summary(): FlagLatencySummary {
    const sorted = [...this.seen.values()]
      .map((path) => path.seenAt - path.publishedAt)
      .sort((a, b) => a - b);
    return {
      expected: this.planned.size,
      seen: sorted.length,
      openedElsewhere: this.openedElsewhere,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1) ?? NaN,
    };
  }
}

/**
 * Reads `topic` (from its beginning, or from its end when the replay before does not matter), read
 * committed, in a group of its own, handing each batch to `observe` with the moment it was read.
 * Resolves once the group has been joined, so that nothing waits for the bench's own start-up.
 */
export async function watchTopic(
  kafka: Kafka,
  topic: string,
  groupId: string,
  observe: (messages: readonly KafkaMessage[], seenAt: number) => void,
  fromBeginning = true,
): Promise<{ stop: () => Promise<void> }> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({ eachBatch: async ({ batch }) => observe(batch.messages, Date.now()) });
  await joined;
  return { stop: () => consumer.disconnect() };
}

/** When the aggregator's transaction that opened a flag began, and when a relay read its event. */
export interface FlagStages {
  writtenAt: number;
  /** When that transaction committed, where the server tracks commit timestamps. */
  committedAt: number | null;
  relayedAt: number;
}

export interface FlagHop {
  name: string;
  p50: number;
  p99: number;
}

/**
 * Splits each seen flag's time into its hops, as p50 and p99 of each: the percentiles do not add
 * up to the whole's, but they show which hop the slow flags were slow in.
 */
export function flagHops(paths: readonly FlagPath[], stages: ReadonlyMap<string, FlagStages>): FlagHop[] {
  // Each flag's way as named moments; a moment is kept only where every flag has it (the accepted
  // record where the bench read that topic, the commit where PostgreSQL tracks commit timestamps).
  const ways = paths.flatMap((path) => {
    const stage = stages.get(path.reportedNumber);
    if (!stage) return [];
    const moments: [string, number | null | undefined][] = [
      ['publication', path.publishedAt],
      ['-> ingest hands it to kafkajs', path.accepted?.producedAt],
      ['-> readable on reports.accepted', path.accepted?.seenAt],
      ['-> aggregator transaction', stage.writtenAt],
      ['-> it commits', stage.committedAt],
      ['-> a relay reads the event', stage.relayedAt],
      ['-> relay hands it to kafkajs', path.producedAt],
      ['-> the bench reads it', path.seenAt],
    ];
    return [moments];
  });
  if (ways.length === 0) return [];
  const kept = ways[0]
    .map((_, i) => i)
    .filter((i) => ways.every((moments) => typeof moments[i][1] === 'number'));
  return kept.slice(1).map((i, k) => {
    const before = kept[k];
    const sorted = ways
      .map((moments) => (moments[i][1] as number) - (moments[before][1] as number))
      .sort((a, b) => a - b);
    return { name: ways[0][i][0], p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  });
}
