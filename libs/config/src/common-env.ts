import { z } from 'zod';
import { DATABASE_URL_DEFAULT } from './database-env';
import { brokerList, identifier, logLevel, postgresUrl } from './env-fields';

/** Variables of an app that only talks to the broker (ingest): where it is, and how loud to log. */
export const kafkaEnvShape = {
  KAFKA_BROKERS: brokerList.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: identifier('Kafka client id').default('abuse-monitor'),
  KAFKA_TOPIC_PREFIX: identifier('prefix for every topic name').default(''),
  LOG_LEVEL: logLevel.default('log'),
};

/** Variables every app that reads or writes the database shares; it connects as the app role. */
export const commonEnvShape = {
  DATABASE_URL: postgresUrl.default(DATABASE_URL_DEFAULT),
  ...kafkaEnvShape,
};

export const commonEnvSchema = z.object(commonEnvShape);
export type CommonConfig = z.infer<typeof commonEnvSchema>;
