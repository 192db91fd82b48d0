import { Global, Module } from '@nestjs/common';
import { AgentSubmissionStore, AuditLog, TokenStore } from './access';
import {
  CounterStore,
  FlagStore,
  RejectionStore,
  ReportStore,
  ReporterStore,
  RuleStore,
} from './aggregation';
import { OutboxRepository } from './outbox.repository';
import {
  AccessRepository,
  AllowlistRepository,
  FlagQueueRepository,
  FlagsRepository,
  ReportersRepository,
  RulesRepository,
  SummariesRepository,
  Transactions,
} from './repositories';

/**
 * Every repository and store, for injection (see docs/decisions/0039). They need the DataSource
 * of `DatabaseModule.forRoot`, which an app imports beside this module.
 */
const PROVIDERS = [
  Transactions,
  AccessRepository,
  AllowlistRepository,
  FlagsRepository,
  FlagQueueRepository,
  ReportersRepository,
  RulesRepository,
  SummariesRepository,
  OutboxRepository,
  AgentSubmissionStore,
  AuditLog,
  TokenStore,
  CounterStore,
  FlagStore,
  RejectionStore,
  ReportStore,
  ReporterStore,
  RuleStore,
];

@Global()
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class PersistenceModule {}
