export { ConfigError, loadConfig, loadConfigOrExit } from './load-config';
export type { EnvSchema } from './load-config';
export { commonEnvShape, commonEnvSchema, kafkaEnvShape } from './common-env';
export type { CommonConfig } from './common-env';
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
  shortCodeList,
} from './env-fields';
