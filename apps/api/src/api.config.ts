import { z } from 'zod';
import {
  commonEnvShape,
  port,
  positiveInt,
  listenHost,
  listenPort,
  milliseconds,
} from '@abuse-monitor/config';

export const apiEnvSchema = z.object({
  ...commonEnvShape,
  METRICS_PORT: listenPort.default(9103),
  METRICS_HOST: listenHost.default('127.0.0.1'),
  API_PORT: port.default(3000),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_MAX_BODY_BYTES: positiveInt('bytes a request body may have').default(65_536),
  API_RATE_LIMIT_PER_MINUTE: positiveInt('requests a token may make per minute').default(600),
  API_FAILED_AUTH_PER_MINUTE: positiveInt(
    'requests without a valid token an address may make per minute',
  ).default(60),
  API_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('take the client address from X-Forwarded-For (behind a reverse proxy)'),
  KAFKA_TOPIC_PARTITIONS: positiveInt('partitions of each topic the app creates').default(3),
  OUTBOX_POLL_INTERVAL_MS: milliseconds('between looks at the outbox besides notifications').default(10_000),
});

export type ApiConfig = z.infer<typeof apiEnvSchema>;
