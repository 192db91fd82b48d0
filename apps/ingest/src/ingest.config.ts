import { z } from 'zod';
import {
  kafkaEnvShape,
  heapGrowingPercent,
  identifier,
  numberList,
  positiveInt,
  listenHost,
  listenPort,
  nonNegativeInt,
  sessionTimeoutMs,
  shortCodeList,
  duration,
  milliseconds,
  topicCreationEnvShape,
} from '@abuse-monitor/config';

export const ingestEnvSchema = z.object({
  ...kafkaEnvShape,
  METRICS_PORT: listenPort.default(9101).describe('port of `/metrics` and `/health/*` (0: any free port)'),
  METRICS_HOST: listenHost
    .default('127.0.0.1')
    .describe('address the metrics port listens on; the Dockerfile and docker-compose set `0.0.0.0`'),
  INGEST_GROUP_ID: identifier('Kafka consumer group of the ingest app')
    .default('abuse-monitor-ingest')
    .describe('consumer group of ingest, after `KAFKA_TOPIC_PREFIX`'),
  ...topicCreationEnvShape,
  KAFKA_SESSION_TIMEOUT_MS: sessionTimeoutMs
    .default(30_000)
    .describe(
      "after this, a silent consumer's partitions go to another (6000-1800000, what the broker accepts)",
    ),
  REPORT_MAX_LENGTH: positiveInt('characters of a report text before it is rejected as too long')
    .default(480)
    .describe('characters of a report text before it is rejected as too long'),
  PROTECTED_NUMBERS: numberList
    .default([])
    .describe(
      'deprecated, ignored by ingest: reports about these numbers are accepted and flagged as probable spoofing; the migrate step adds them to the protected originators (decision 0057)',
    ),
  SMS_SHORT_CODES: shortCodeList
    .default(['156', '5656'])
    .describe(
      'short codes reports are taken on and replies sent from; an SMS to another is rejected (`invalid_short_code`, decision 0026)',
    ),
  HOTLINE_MAX_REPORT_AGE: duration('how long after a call its report may be entered')
    .default(7 * 86_400_000)
    .describe('how long after a call its report may be entered (`submittedAt`; 5 minutes ahead at most)'),
  // Half the aggregator's: ingest holds every message of its batches several times over (decoded,
  // decided, encoded for three topics); 1 MiB put it over 300 MB of RSS in a replay, at no gain
  // in speed once back-to-back transactions stopped waiting (decision 0071).
  INGEST_MAX_BATCH_BYTES: positiveInt('bytes fetched per partition and batch')
    .default(524_288)
    .describe('bytes fetched per partition and batch (each batch is one Kafka transaction)'),
  // 20 ms, not 50: at a steady load every fetch waits the whole time (the minimum is never met),
  // once in ingest and once in the aggregator; 20 brought the report -> flag p99 at 5,000 reports/s
  // from 531-617 to 358-436 ms for about 7 % more CPU a report (decision 0074).
  INGEST_FETCH_WAIT_MS: milliseconds('how long a fetch may wait for INGEST_FETCH_MIN_BYTES', 0, 10_000)
    .default(20)
    .describe(
      'how long the broker may hold a fetch to gather `INGEST_FETCH_MIN_BYTES` (0-10000): longer batches share a transaction, shorter ones wait less',
    ),
  INGEST_FETCH_MIN_BYTES: positiveInt('bytes a fetch waits for')
    .default(1_048_576)
    .describe(
      'bytes a fetch waits for, up to `INGEST_FETCH_WAIT_MS`, before it answers; after a fetch that brought nothing, the next waits for any record, up to 500 ms (decision 0080)',
    ),
  INGEST_CONCURRENCY: positiveInt('partitions transformed at the same time')
    .default(3)
    .describe('partitions transformed at the same time (each batch is one Kafka transaction; decision 0025)'),
  INGEST_HEAP_GROWING_PERCENT: heapGrowingPercent
    // 75, as the aggregator's: two instances on 2 cores reached 300-313 MB at 100 (decision 0085).
    .default(75)
    .describe('as `AGGREGATOR_HEAP_GROWING_PERCENT`, for ingest (decision 0085)'),
  INGEST_RECENT_MESSAGE_IDS: nonNegativeInt('message ids remembered to skip a redelivery', 10_000_000)
    .default(100_000)
    .describe(
      'message ids remembered to skip a gateway redelivery without a second reply (0 to 10000000; decision 0025)',
    ),
});

export type IngestConfig = z.infer<typeof ingestEnvSchema>;

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');
