import { z } from 'zod';
import { DATABASE_URL_DEFAULT } from './database-env';
import { brokerList, identifier, logLevel, postgresUrl } from './env-fields';
import { KafkaSecurity, kafkaSecurity, kafkaSecurityEnvShape } from './kafka-security-env';

/**
 * Variables of an app that only talks to the broker (ingest): where it is, how to authenticate,
 * and how loud to log.
 */
export const kafkaEnvShape = {
  KAFKA_BROKERS: brokerList.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: identifier('Kafka client id').default('abuse-monitor'),
  KAFKA_TOPIC_PREFIX: identifier('prefix for every topic name and consumer group').default(''),
  ...kafkaSecurityEnvShape,
  LOG_LEVEL: logLevel.default('log'),
};

/** Variables every app that reads or writes the database shares; it connects as the app role. */
export const commonEnvShape = {
  DATABASE_URL: postgresUrl.default(DATABASE_URL_DEFAULT),
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
