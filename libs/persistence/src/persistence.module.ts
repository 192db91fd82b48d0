import { Global, Module } from '@nestjs/common';
import {
  AgentSubmissionsRepository,
  AuditLogRepository,
  SessionsRepository,
  TokensRepository,
} from './access';
import {
  CountersRepository,
  FlagChangesRepository,
  RejectionsRepository,
  ReportsRepository,
  ReporterActivityRepository,
  RulesInForceRepository,
} from './aggregation';
import { OutboxRepository } from './outbox.repository';
import {
  AccessRepository,
  AllowlistRepository,
  AppealsRepository,
  ProtectedOriginatorsRepository,
  CampaignsRepository,
  DailySummaryRepository,
  FlagAssessmentsRepository,
  FlagDecisionsRepository,
  FlagQueueRepository,
  FlagsRepository,
  JobsRepository,
  ReplayRepository,
  ReportersRepository,
  RulesRepository,
  SummariesRepository,
  TeamRepository,
  Transactions,
} from './repositories';

/**
 * Every repository, for injection (see docs/decisions/0039). They need the DataSource
 * of `DatabaseModule.forRoot`, which an app imports beside this module; that module also provides
 * MonitoringRepository, which every app's metrics and health read.
 */
const PROVIDERS = [
  Transactions,
  AccessRepository,
  AllowlistRepository,
  AppealsRepository,
  ProtectedOriginatorsRepository,
  FlagsRepository,
  FlagQueueRepository,
  ReportersRepository,
  RulesRepository,
  SummariesRepository,
  JobsRepository,
  DailySummaryRepository,
  FlagAssessmentsRepository,
  ReplayRepository,
  OutboxRepository,
  AgentSubmissionsRepository,
  AuditLogRepository,
  TokensRepository,
  SessionsRepository,
  TeamRepository,
  FlagDecisionsRepository,
  CountersRepository,
  FlagChangesRepository,
  RejectionsRepository,
  ReportsRepository,
  ReporterActivityRepository,
  RulesInForceRepository,
  CampaignsRepository,
];

@Global()
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class PersistenceModule {}
