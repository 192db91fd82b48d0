import { CreateRawSmsMessages1764400000000 } from './1764400000000-CreateRawSmsMessages';
import { ReportIntake1764500000000 } from './1764500000000-ReportIntake';
import { Aggregation1764600000000 } from './1764600000000-Aggregation';
import { AbuseTeamApi1764700000000 } from './1764700000000-AbuseTeamApi';
import { ScheduledJobs1764800000000 } from './1764800000000-ScheduledJobs';
import { RetentionIndexes1764900000000 } from './1764900000000-RetentionIndexes';
import { ReviewSla1765000000000 } from './1765000000000-ReviewSla';
import { RejectionsFromTheStream1765100000000 } from './1765100000000-RejectionsFromTheStream';
import { ReportsReceivedAtBrin1765200000000 } from './1765200000000-ReportsReceivedAtBrin';
import { NormaliseStoredReporters1765300000000 } from './1765300000000-NormaliseStoredReporters';
import { TokenNamesForEverAndExpiry1765320000000 } from './1765320000000-TokenNamesForEverAndExpiry';
import { HeldSubmissions1765310000000 } from './1765310000000-HeldSubmissions';
import { StripStoredFormatCharacters1765350000000 } from './1765350000000-StripStoredFormatCharacters';
import { ReadPathIndexes1765410000000 } from './1765410000000-ReadPathIndexes';
import { AllowlistPages1765430000000 } from './1765430000000-AllowlistPages';
import { QueueUrgencyIndexes1765440000000 } from './1765440000000-QueueUrgencyIndexes';
import { DecisionReasonsAndSessions1765450000000 } from './1765450000000-DecisionReasonsAndSessions';
import { WatchedFlags1765451000000 } from './1765451000000-WatchedFlags';
import { SessionHardening1765480000000 } from './1765480000000-SessionHardening';
import { AllowlistExpiry1765481000000 } from './1765481000000-AllowlistExpiry';
import { ProtectedOriginators1765470000000 } from './1765470000000-ProtectedOriginators';
import { Campaigns1765460000000 } from './1765460000000-Campaigns';
import { RulesInForceNotify1765490000000 } from './1765490000000-RulesInForceNotify';
import { Appeals1765492000000 } from './1765492000000-Appeals';
import { ReportTextKey1765495000000 } from './1765495000000-ReportTextKey';
import { IndexesOffTheAggregatorsPath1765496000000 } from './1765496000000-IndexesOffTheAggregatorsPath';

/**
 * Every migration, in order. Listed explicitly rather than globbed so the same list works from
 * TypeScript (tests, the TypeORM CLI) and from the compiled apps. A generated migration is added here.
 */
export const MIGRATIONS = [
  CreateRawSmsMessages1764400000000,
  ReportIntake1764500000000,
  Aggregation1764600000000,
  AbuseTeamApi1764700000000,
  ScheduledJobs1764800000000,
  RetentionIndexes1764900000000,
  ReviewSla1765000000000,
  RejectionsFromTheStream1765100000000,
  ReportsReceivedAtBrin1765200000000,
  NormaliseStoredReporters1765300000000,
  TokenNamesForEverAndExpiry1765320000000,
  HeldSubmissions1765310000000,
  StripStoredFormatCharacters1765350000000,
  ReadPathIndexes1765410000000,
  AllowlistPages1765430000000,
  QueueUrgencyIndexes1765440000000,
  DecisionReasonsAndSessions1765450000000,
  WatchedFlags1765451000000,
  Campaigns1765460000000,
  ProtectedOriginators1765470000000,
  SessionHardening1765480000000,
  AllowlistExpiry1765481000000,
  RulesInForceNotify1765490000000,
  Appeals1765492000000,
  ReportTextKey1765495000000,
  IndexesOffTheAggregatorsPath1765496000000,
];
