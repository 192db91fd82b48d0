export { AccessRepository } from './access.repository';
export { AllowlistRepository, allowlistEntries } from './allowlist.repository';
export type { AllowlistRow, NewAllowlistEntry } from './allowlist.repository';
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
export { FLAG_SORTS } from './flag-queue';
export type { FlagCursor, FlagFilter, FlagSort } from './flag-queue';
export { FlagsRepository } from './flags.repository';
export { ReportersRepository } from './reporters.repository';
export type { ReporterRow } from './reporters.repository';
export { RulesRepository } from './rules.repository';
export type { RuleRow, RuleToWrite, RuleVersionRow } from './rules.repository';
export { saveTransitions } from './save-transitions';
export { SummariesRepository } from './summaries.repository';
export { Transactions } from './transactions';
