import { z } from 'zod';
import {
  commonEnvShape,
  heapGrowingPercent,
  identifier,
  positiveInt,
  listenHost,
  listenPort,
  milliseconds,
  sessionTimeoutMs,
  topicCreationEnvShape,
} from '@abuse-monitor/config';

const share = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { message: 'expected a share between 0 and 1 (for example 0.5)' })
  .transform(Number);

export const aggregatorEnvSchema = z.object({
  ...commonEnvShape,
  METRICS_PORT: listenPort.default(9102),
  METRICS_HOST: listenHost.default('127.0.0.1'),
  AGGREGATOR_GROUP_ID: identifier('Kafka consumer group of the aggregator').default(
    'abuse-monitor-aggregator',
  ),
  ...topicCreationEnvShape,
  KAFKA_SESSION_TIMEOUT_MS: sessionTimeoutMs.default(30_000),
  AGGREGATOR_MAX_BATCH_BYTES: positiveInt('bytes fetched per partition and batch').default(1_048_576),
  AGGREGATOR_CONCURRENCY: positiveInt('partitions whose batches are aggregated at the same time').default(3),
  AGGREGATOR_RECENT_REPORTS: positiveInt(
    "reports kept in memory so that busy numbers' last 30 days are not read back for every batch",
  ).default(100_000),
  AGGREGATOR_HEAP_GROWING_PERCENT: heapGrowingPercent.default(100),
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
