import { z } from 'zod';
import { DATABASE_URL_DEFAULT } from './database-env';
import { brokerList, identifier, logLevel, postgresUrl } from './env-fields';
import { KafkaSecurity, kafkaSecurity, kafkaSecurityEnvShape } from './kafka-security-env';

/**
 * Variables of an app that only talks to the broker (ingest): where it is, how to authenticate,
 * and how loud to log.
 */
export const kafkaEnvShape = {
  KAFKA_BROKERS: brokerList
    .default(['127.0.0.1:9092'])
    .describe('the Kafka brokers: comma-separated `host:port`'),
  KAFKA_CLIENT_ID: identifier('Kafka client id')
    .default('abuse-monitor')
    .describe("prefix of the Kafka client id; the app's name follows it"),
  KAFKA_TOPIC_PREFIX: identifier('prefix for every topic name and consumer group')
    .default('')
    .describe(
      'prepended to every topic name and consumer group: two environments on one cluster (decisions 0006, 0032)',
    ),
  ...kafkaSecurityEnvShape,
  LOG_LEVEL: logLevel
    .default('log')
    .describe(
      '`error`, `warn`, `log`, `debug` or `verbose`; `debug` shows phone numbers in log messages unmasked',
    ),
};

/** Variables every app that reads or writes the database shares; it connects as the app role. */
export const commonEnvShape = {
  DATABASE_URL: postgresUrl
    .default(DATABASE_URL_DEFAULT)
    .describe(
      "PostgreSQL as the apps' role: rows only, no DDL, the audit log insert and read only (decision 0033)",
    ),
  ...kafkaEnvShape,
};

export const commonEnvSchema = z.object(commonEnvShape);
export type CommonConfig = z.infer<typeof commonEnvSchema>;

type KafkaEnv = z.infer<z.ZodObject<typeof kafkaEnvShape>>;

export interface KafkaClientSettings {
  brokers: string[];
  clientId: string;
  security: KafkaSecurity;
}

/** What createKafka needs, from a loaded configuration, for the app named `app`. */
export function kafkaClientSettings(config: KafkaEnv, app: string): KafkaClientSettings {
  return {
    brokers: config.KAFKA_BROKERS,
    clientId: `${config.KAFKA_CLIENT_ID}-${app}`,
    security: kafkaSecurity(config),
  };
}
