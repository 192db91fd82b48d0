export { dataSourceOptions } from './data-source-options';
export type { DatabaseSettings } from './data-source-options';
export { dropDatabase, ensureDatabaseExists } from './ensure-database';
export { ENTITIES, RawSmsMessageEntity } from './entities';
export { RawSmsMessageRepository } from './raw-sms-message.repository';
export type { RawSmsRow } from './raw-sms-message.repository';
export { DatabaseModule, redactUrl } from './database.module';
