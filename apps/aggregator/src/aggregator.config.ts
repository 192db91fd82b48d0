import { z } from 'zod';
import {
  commonEnvShape,
  identifier,
  positiveInt,
  listenPort,
  milliseconds,
  sessionTimeoutMs,
} from '@abuse-monitor/config';

const share = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { message: 'expected a share between 0 and 1 (for example 0.5)' })
  .transform(Number);

/** 0 leaves V8 its own heuristics; otherwise 10 to 1000 (percent of the live heap). */
const heapGrowingPercent = z
  .string()
  .regex(/^\d+$/, { message: "expected a whole number of percent, or 0 for V8's own growth" })
  .transform(Number)
  .refine((n) => n === 0 || (n >= 10 && n <= 1000), {
    message: "expected 0 (V8's own growth) or a percentage from 10 to 1000",
  })
  .default(100);

export const aggregatorEnvSchema = z.object({
  ...commonEnvShape,
  METRICS_PORT: listenPort.default(9102),
  AGGREGATOR_GROUP_ID: identifier('Kafka consumer group of the aggregator').default(
    'abuse-monitor-aggregator',
  ),
  KAFKA_TOPIC_PARTITIONS: positiveInt('partitions of each topic the app creates').default(3),
  KAFKA_SESSION_TIMEOUT_MS: sessionTimeoutMs.default(30_000),
  AGGREGATOR_MAX_BATCH_BYTES: positiveInt('bytes fetched per partition and batch').default(1_048_576),
  AGGREGATOR_CONCURRENCY: positiveInt('partitions whose batches are aggregated at the same time').default(3),
  AGGREGATOR_RECENT_REPORTS: positiveInt(
    "reports kept in memory so that busy numbers' last 30 days are not read back for every batch",
  ).default(100_000),
  AGGREGATOR_HEAP_GROWING_PERCENT: heapGrowingPercent,
  REPORTER_DAILY_LIMIT: positiveInt('reports a day above which a reporter is suspicious').default(20),
  COORDINATION_THRESHOLD: share.default(0.5),
  COORDINATION_REASSESS_AFTER_MS: milliseconds(
    'after which a waiting flag is assessed again, as other numbers gain reports',
  ).default(600_000),
  COORDINATION_REVIEW_INTERVAL_MS: milliseconds('between coordination reviews of changed flags').default(
    10_000,
  ),
  OUTBOX_POLL_INTERVAL_MS: milliseconds('between looks at the outbox besides notifications').default(10_000),
});

export type AggregatorConfig = z.infer<typeof aggregatorEnvSchema>;

export const AGGREGATOR_CONFIG = Symbol('AGGREGATOR_CONFIG');
