import { z } from 'zod';
import {
  commonEnvShape,
  identifier,
  numberList,
  positiveInt,
  listenPort,
  milliseconds,
  sessionTimeoutMs,
} from '@abuse-monitor/config';

export const ingestEnvSchema = z.object({
  ...commonEnvShape,
  METRICS_PORT: listenPort.default(9101),
  INGEST_GROUP_ID: identifier('Kafka consumer group of the ingest app').default('abuse-monitor-ingest'),
  KAFKA_TOPIC_PARTITIONS: positiveInt('partitions of each topic the app creates').default(3),
  KAFKA_SESSION_TIMEOUT_MS: sessionTimeoutMs.default(30_000),
  REPORT_MAX_LENGTH: positiveInt('characters of a report text before it is rejected as too long').default(
    480,
  ),
  PROTECTED_NUMBERS: numberList.default([]),
  OUTBOX_POLL_INTERVAL_MS: milliseconds('between looks at the outbox').default(500),
  INGEST_MAX_BATCH_BYTES: positiveInt('bytes fetched per partition and batch').default(1_048_576),
});

export type IngestConfig = z.infer<typeof ingestEnvSchema>;

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');
