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
  topicCreationEnvShape,
} from '@abuse-monitor/config';

export const ingestEnvSchema = z.object({
  ...kafkaEnvShape,
  METRICS_PORT: listenPort.default(9101),
  METRICS_HOST: listenHost.default('127.0.0.1'),
  INGEST_GROUP_ID: identifier('Kafka consumer group of the ingest app').default('abuse-monitor-ingest'),
  ...topicCreationEnvShape,
  KAFKA_SESSION_TIMEOUT_MS: sessionTimeoutMs.default(30_000),
  REPORT_MAX_LENGTH: positiveInt('characters of a report text before it is rejected as too long').default(
    480,
  ),
  PROTECTED_NUMBERS: numberList.default([]),
  SMS_SHORT_CODES: shortCodeList.default(['156', '5656']),
  HOTLINE_MAX_REPORT_AGE: duration('how long after a call its report may be entered').default(7 * 86_400_000),
  INGEST_MAX_BATCH_BYTES: positiveInt('bytes fetched per partition and batch').default(1_048_576),
  INGEST_CONCURRENCY: positiveInt('partitions transformed at the same time').default(3),
  INGEST_HEAP_GROWING_PERCENT: heapGrowingPercent.default(100),
  INGEST_RECENT_MESSAGE_IDS: nonNegativeInt(
    'message ids remembered to skip a redelivery',
    10_000_000,
  ).default(100_000),
});

export type IngestConfig = z.infer<typeof ingestEnvSchema>;

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');
