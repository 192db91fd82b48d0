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

/**
 * 2 MiB, about 3,800 reports a transaction in a replay: what a batch costs besides its rows
 * (its statements' round trips and plans, the commit) is paid half as often as at 1 MiB (decision 0081).
 */
const BATCH_BYTES = 2_097_152;

export const aggregatorEnvSchema = z.object({
  ...commonEnvShape,
  METRICS_PORT: listenPort.default(9102).describe('port of `/metrics` and `/health/*` (0: any free port)'),
  METRICS_HOST: listenHost
    .default('127.0.0.1')
    .describe('address the metrics port listens on; the Dockerfile and docker-compose set `0.0.0.0`'),
  AGGREGATOR_GROUP_ID: identifier('Kafka consumer group of the aggregator')
    .default('abuse-monitor-aggregator')
    .describe('consumer group of the aggregator, after `KAFKA_TOPIC_PREFIX`'),
  ...topicCreationEnvShape,
  KAFKA_SESSION_TIMEOUT_MS: sessionTimeoutMs
    .default(30_000)
    .describe(
      "after this, a silent consumer's partitions go to another (6000-1800000, what the broker accepts)",
    ),
  AGGREGATOR_MAX_BATCH_BYTES: positiveInt('bytes fetched per partition and batch')
    .default(BATCH_BYTES)
    .describe('bytes fetched per partition and batch (one transaction each; decision 0081)'),
  AGGREGATOR_FETCH_WAIT_MS: milliseconds(
    'how long a fetch may wait for AGGREGATOR_FETCH_MIN_BYTES',
    0,
    10_000,
  )
    // As INGEST_FETCH_WAIT_MS (decision 0074).
    .default(20)
    .describe(
      'how long the broker may hold a fetch to gather `AGGREGATOR_FETCH_MIN_BYTES` (0-10000): longer batches share a database transaction, shorter ones wait less',
    ),
  AGGREGATOR_FETCH_MIN_BYTES: positiveInt('bytes a fetch waits for')
    // The size of a batch: a replay's fetch brings full ones.
    .default(BATCH_BYTES)
    .describe(
      'bytes a fetch waits for, up to `AGGREGATOR_FETCH_WAIT_MS`, before it answers; after a fetch that brought nothing, the next waits for any record, up to 500 ms (decision 0080)',
    ),
  AGGREGATOR_CONCURRENCY: positiveInt('partitions whose batches are aggregated at the same time')
    .default(3)
    .describe('partitions aggregated at the same time'),
  AGGREGATOR_RECENT_REPORTS: positiveInt(
    "reports kept in memory so that busy numbers' last 30 days are not read back for every batch",
  )
    .default(100_000)
    .describe('reports of busy numbers kept in memory (decision 0017)'),
  AGGREGATOR_HEAP_GROWING_PERCENT: heapGrowingPercent
    // 75, not ingest's 100: on Node 26 the aggregator reached 300 MB in replays at 100 (decision 0082).
    .default(75)
    .describe(
      'garbage allowed before a full collection, in % of the live heap (10-1000; 0: V8 decides; decisions 0018, 0082)',
    ),
  AGGREGATOR_RULES_REFRESH_MS: milliseconds(
    'after which the rules, allowlist and protected originators in memory are read again',
    0,
  )
    .default(5_000)
    .describe(
      'the rules, the allowlist and the protected originators are read again at least this often (0: every batch); a change is read at once through LISTEN/NOTIFY, this bounds a lost notification (decision 0062)',
    ),
  REPORTER_DAILY_LIMIT: positiveInt('reports a day above which a reporter is suspicious')
    .default(20)
    .describe('reports a day above which a reporter is suspicious'),
  COORDINATION_THRESHOLD: share
    .default(0.5)
    .describe("share of a flag's weight from a recurring group that marks it possibly coordinated"),
  COORDINATION_REASSESS_AFTER_MS: milliseconds(
    'after which a waiting flag is assessed again, as other numbers gain reports',
  )
    .default(600_000)
    .describe('a waiting coordination judgement is made again after this many milliseconds'),
  COORDINATION_REVIEW_INTERVAL_MS: milliseconds('between coordination reviews of changed flags')
    .default(10_000)
    .describe('milliseconds between coordination reviews of changed flags'),
  OUTBOX_POLL_INTERVAL_MS: milliseconds('between looks at the outbox besides notifications')
    .default(10_000)
    .describe(
      'milliseconds between looks at the outbox besides notifications (relays wake on LISTEN/NOTIFY)',
    ),
});

export type AggregatorConfig = z.infer<typeof aggregatorEnvSchema>;

export const AGGREGATOR_CONFIG = Symbol('AGGREGATOR_CONFIG');
