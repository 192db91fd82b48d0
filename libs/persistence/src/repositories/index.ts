export { AccessRepository } from './access.repository';
export { AllowlistRepository, allowlistEntries } from './allowlist.repository';
export {
  ProtectedOriginatorsRepository,
  seedProtectedOriginators,
  SEEDED_BY,
} from './protected-originators.repository';
export type { NewProtectedOriginator, ProtectedOriginatorRow } from './protected-originators.repository';
export type { AllowlistCursor, AllowlistRow, NewAllowlistEntry } from './allowlist.repository';
export { flagFromRow } from './flag-rows';
export type {
  CountersRow,
  FlagRow,
  FlagStateRow,
  HistoryRow,
  QueueFlagRow,
  ReportViewRow,
  SourceRow,
} from './flag-rows';
export { FLAG_SORTS, QUEUE_STATUSES } from './flag-queue';
export type { FlagCursor, FlagFilter, FlagSort, QueueSla, UrgencyCursor } from './flag-queue';
export { countStatement, dueSoonStatement, FlagQueueRepository } from './flag-queue.repository';
export type { DueSoonRow, RelatedFlagRow, Statement, UrgentFlagRow } from './flag-queue.repository';
export { FlagsRepository } from './flags.repository';
export { ReportersRepository } from './reporters.repository';
export type { ReporterRow } from './reporters.repository';
export { RulesRepository } from './rules.repository';
export type { RuleRow, RuleToWrite, RuleVersionRow } from './rules.repository';
export { saveTransitions } from './save-transitions';
export { ACTIVITY_BUCKETS, SummariesRepository } from './summaries.repository';
export type { ActivityBucket, ActivityRow } from './summaries.repository';
export { Transactions } from './transactions';
export { ANONYMISED, JobsRepository, WALK_FROM_START } from './jobs.repository';
export type { DueFlag, JobRunLog, JobRunOutcome, Page, SlaBySeverity, WalkedBatch } from './jobs.repository';
export { DailySummaryRepository } from './daily-summary.repository';
export type { DayActivity } from './daily-summary.repository';
export { FlagAssessmentsRepository } from './flag-assessments.repository';
export type { Assessment, AssessmentToSave, PendingAssessment } from './flag-assessments.repository';
export { ReplayRepository } from './replay.repository';
export type { NumbersInPeriod, ReplayPeriod } from './replay.repository';
export { MonitoringRepository } from './monitoring.repository';
export type {
  JobSuccess,
  OutboxBacklog,
  WaitingAppeals,
  WaitingCampaigns,
  WaitingFlags,
} from './monitoring.repository';
export { TeamRepository } from './team.repository';
export type { HeldFlagRow, ReviewerWorkloadRow, UnassignedRow } from './team.repository';
export { FlagDecisionsRepository } from './flag-decisions.repository';
export { CampaignsRepository, CAMPAIGN_SORTS, GROUPED_FLAG_STATUSES } from './campaigns.repository';
export type {
  CampaignCursor,
  CampaignFilter,
  CampaignHistoryRow,
  CampaignHistoryToAppend,
  CampaignMemberRow,
  CampaignOverrideRow,
  CampaignRow,
  CampaignSort,
  CampaignSummaryToSave,
  MemberToSave,
  NumberEvidenceRow,
  ReportTextRow,
} from './campaigns.repository';
export { campaignChange } from './campaign-changes';
export type { CampaignChange } from './campaign-changes';
export { AppealsRepository } from './appeals.repository';
export type {
  AppealCursor,
  AppealFilter,
  AppealRow,
  AppealSummaryRow,
  NewAppeal,
} from './appeals.repository';
