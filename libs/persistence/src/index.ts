export { dataSourceOptions } from './data-source-options';
export type { DatabaseSettings } from './data-source-options';
export { dropDatabase, ensureDatabaseExists } from './ensure-database';
export {
  ENTITIES,
  OutboxMessageEntity,
  RawSmsMessageEntity,
  RejectedReportEntity,
  SubmittedReportEntity,
} from './entities';
export { DatabaseModule, pingDatabase, redactUrl } from './database.module';
export { enqueueOutbox, OutboxRepository } from './outbox.repository';
export { PersistenceModule } from './persistence.module';
export * from './repositories';
export type { OutboxMessage, OutboxRow } from './outbox.repository';
export { numberArray, textArray, timestampFromEpochMs } from './array-literal';
export {
  binaryBoolArray,
  binaryInt4Array,
  binaryInt8Array,
  binaryJsonbArray,
  binaryTextArray,
  binaryUuidArray,
  readBinaryArray,
  RefusedArrayElement,
} from './binary-array';
export { DATA_REFUSALS } from './data-refusal';
export { storableJson, storableText } from './storable-text';
export { reportTextKey } from './report-text-key';
export { OUTBOX_RELAY_OPTIONS, OutboxRelayService } from './outbox-relay.service';
export { NotificationListener, OUTBOX_CHANNEL, RULES_IN_FORCE_CHANNEL } from './notification-listener';
export * from './aggregation';
export * from './access';
export { affectedRows } from './affected-rows';
export { APP_TABLE_PRIVILEGES, OWNER_ONLY_TABLES, prepareAppRole, unlistedTables } from './app-role';
export type { AppRoleOptions } from './app-role';
export { explainStatements, methodsOf, PLAN_SETTINGS, repositoryStatements } from './statement-plans';
export type {
  ExplainedCall,
  ExplainedStatement,
  RepositoryStatements,
  StatementCall,
} from './statement-plans';
