export { ConfigError, loadConfig, loadConfigOrExit } from './load-config';
export type { EnvSchema } from './load-config';
export { commonEnvShape, commonEnvSchema, kafkaClientSettings, kafkaEnvShape } from './common-env';
export type { CommonConfig, KafkaClientSettings } from './common-env';
export { SASL_MECHANISMS, SECURITY_PROTOCOLS } from './kafka-security-env';
export { MAX_TOPIC_RETENTION_MS, topicCreationEnvShape } from './topic-creation-env';
export { slaEnvShape } from './sla-env';
export type { KafkaSecurity, SaslMechanism } from './kafka-security-env';
export {
  APP_ROLE_DEFAULT,
  DATABASE_OWNER_URL_DEFAULT,
  DATABASE_URL_DEFAULT,
  ownerEnvShape,
  roleName,
} from './database-env';
export {
  brokerList,
  duration,
  heapGrowingPercent,
  identifier,
  listenHost,
  listenPort,
  logLevel,
  milliseconds,
  nonNegativeInt,
  numberList,
  port,
  positiveInt,
  postgresUrl,
  sessionTimeoutMs,
  timeZone,
  shortCodeList,
} from './env-fields';
