import type { ConnectionOptions } from 'node:tls';
import { Kafka, KafkaConfig, logLevel as KafkaLogLevel, LogEntry, SASLOptions } from 'kafkajs';
import type { KafkaSecurity } from '@abuse-monitor/config';
import { kafkaLogText, kafkaSinkLevel } from './kafka-log-level';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  security: KafkaSecurity;
}

export type LogSink = (level: 'error' | 'warn' | 'log' | 'debug', message: string) => void;

/**
 * kafkajs' `ssl`: Node's TLS options. The certificate chain is always verified; turning the
 * hostname check off only skips comparing the certificate's names with the broker's address.
 */
export function tlsOptions(tls: NonNullable<KafkaSecurity['tls']>): ConnectionOptions {
  return {
    rejectUnauthorized: true,
    ...(tls.ca !== undefined ? { ca: [tls.ca] } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
    ...(tls.verifyHostname ? {} : { checkServerIdentity: () => undefined }),
  };
}

/** kafkajs' `sasl`, whose mechanism names are lower case. */
export function saslOptions(sasl: NonNullable<KafkaSecurity['sasl']>): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', username, password };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/**
 * One place that turns configuration into a kafkajs client, so every app and tool connects to a
 * secured cluster the same way. kafkajs' own retries are kept short: the callers wrap connects and
 * sends in their own back-off, which can wait as long as it takes. A refused authentication is not
 * retried by kafkajs at all (KafkaJSSASLAuthenticationError is non-retriable).
 */
export function createKafka(
  settings: KafkaSettings,
  log: LogSink,
  overrides: Pick<KafkaConfig, 'retry'> = {},
): Kafka {
  const { tls, sasl } = settings.security;
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ...(tls ? { ssl: tlsOptions(tls) } : {}),
    ...(sasl ? { sasl: saslOptions(sasl) } : {}),
    connectionTimeout: 3_000,
    authenticationTimeout: 10_000,
    requestTimeout: 30_000,
    retry: overrides.retry ?? { initialRetryTime: 300, retries: 5, maxRetryTime: 10_000 },
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry: LogEntry) => log(kafkaSinkLevel(entry), kafkaLogText(entry)),
  });
}
