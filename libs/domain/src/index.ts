/**
 * The domain of abuse-monitor as a whole, not only report intake: the report parser and numbering
 * plan, categories, flagging rules and the flag state machine, coordination, roles and access,
 * the daily summary. Plain functions and types, no framework, no I/O (a lint rule holds it);
 * functions return result values and never throw.
 */

// Kinds of report and why a text is not one
export { REPORT_KINDS, REPORT_KEYWORDS, type ReportKind } from './report-kind';
export {
  REJECTION_REASONS,
  NOT_A_REPORT_KINDS,
  SMS_ENVELOPE_REJECTION_REASONS,
  type RejectionReason,
  type NotAReportKind,
  type SmsEnvelopeRejectionReason,
} from './rejection';

// Phone numbers
export {
  CARRIERS,
  MOBILE_PREFIX_ALLOCATIONS,
  type Carrier,
  type MobilePrefixAllocation,
} from './numbering/carriers';
export { LEGACY_PREFIX_CONVERSIONS, type LegacyPrefixConversion } from './numbering/legacy-prefixes';
export { DEFAULT_PROTECTED_SHORT_CODES } from './numbering/protected-numbers';
export { NUMBER_TYPES, type NumberType } from './numbering/vietnam-numbering-plan';
export {
  normalizeNumber,
  nationalFormOf,
  NUMBER_REJECTION_REASONS,
  type NormalizeNumberResult,
  type NormalizedNumber,
  type NumberRejection,
  type NumberRejectionReason,
  type NumberOptions,
} from './numbering/normalize-number';
export { uncountableNumberProblem } from './numbering/countable-number';

export {
  reporterNumber,
  smsSenderNumber,
  REPORTER_NUMBER_TYPES,
  type ReporterNumberResult,
} from './numbering/reporter-number';

// Text from outside: what is kept, and how the rest is shown
export {
  sanitizeText,
  printableText,
  hasUnprintableCharacter,
  withoutFormatCharacters,
} from './text/sanitize';
export { FORMAT_CHARACTER_RANGES, formatCharacterClassForPostgres } from './text/format-characters';
export { reportTextForKey } from './text/report-text-key';

// Categories of reported content
export {
  CATEGORIES,
  CATEGORY_PRECEDENCE,
  CATEGORY_KEYWORDS,
  type Category,
  type KnownCategory,
} from './categories/category-keywords';
export { categorizeContent, type Categorization } from './categories/categorize-content';

// SMS reports
export {
  parseReportText,
  DEFAULT_MAX_REPORT_LENGTH,
  type ParseReportOptions,
  type ParseReportResult,
  type ParsedReport,
  type ReportRejection,
} from './report-parser/parse-report-text';
export { checkSmsEnvelope, type SmsEnvelopeResult } from './sms-envelope/check-sms-envelope';
export { replyFor } from './replies/reply-for';
export { isGsm7Basic, SINGLE_SMS_LENGTH } from './replies/gsm7';

// Reports from the hotline and the API
export {
  validateSubmittedReport,
  SUBMITTED_REPORT_FIELDS,
  FIELD_ERROR_CODES,
  DEFAULT_MAX_DESCRIPTION_LENGTH,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  DEFAULT_MAX_SUBMISSION_AGE_MS,
  MAX_SUBMISSION_CLOCK_SKEW_MS,
  MAX_AGENT_ID_LENGTH,
  type SubmittedReport,
  type SubmittedReportField,
  type FieldError,
  type FieldErrorCode,
  type ValidateSubmittedReportResult,
  type ValidateSubmittedReportOptions,
} from './submitted-report/validate-submitted-report';

// Bulk parsing (the `parse` CLI)
export {
  parseBulkLine,
  type BulkLineOutput,
  type BulkLineOptions,
  type BulkLineRejectionReason,
} from './bulk/parse-bulk-line';

// ---------------------------------------------------------------------------------------------
// Flagging: counters, rules, the flag state machine, the ladder, reporter guard, coordination, what-if

export {
  WINDOWS,
  WINDOW_LABELS,
  LONGEST_WINDOW_SECONDS,
  MEASURES,
  SEVERITIES,
  RECOMMENDED_ACTIONS,
  DEFAULT_RULES,
  severityRank,
  compareRuleStrength,
  type WindowSeconds,
  type Measure,
  type Severity,
  type RecommendedAction,
  type Rule,
} from './flagging/rules';
export {
  validateRule,
  validateRuleSet,
  RULE_FIELDS,
  MAX_RULE_ID_LENGTH,
  MAX_RULE_NAME_LENGTH,
  type ValidateRuleResult,
  type ValidateRuleSetResult,
} from './flagging/validate-rule';
export {
  countWindows,
  compareReports,
  isInWindow,
  type WindowReport,
  type WindowCount,
  type WindowCounts,
  type KindOrCategoryCount,
} from './flagging/window-counts';
export {
  SINGLE_SOURCE_CEILING,
  sourceOf,
  soleAgentOf,
  severityCapFor,
  severityCeilingOf,
  measureWithAgentAsOne,
  leaningOnAgentExplanation,
  cappedRule,
  singleAgentExplanation,
  singleSourceExplanation,
  type SeverityCap,
  type FlagSources,
} from './flagging/independent-sources';
export {
  matchingRules,
  measureRule,
  reportsBehind,
  reportsCountingTowards,
  MAX_REPORTS_BEHIND_A_FLAG,
  type RuleMatch,
  type ReportsBehind,
} from './flagging/evaluate-rules';
export {
  FLAG_STATUSES,
  TAKEN_ACTIONS,
  FLAG_EVENT_TYPES,
  FLAG_CHANGES,
  FLAG_COMMANDS,
  FLAG_REFUSAL_REASONS,
  RULES_ACTOR,
  SCHEDULER_ACTOR,
  flagEventId,
  changeOnRuleFiring,
  applyRuleFiring,
  claimFlag,
  assignFlag,
  actOnFlag,
  dismissFlag,
  reopenFlag,
  expireFlag,
  escalateFlag,
  markReviewOverdue,
  reopenRepeatOffender,
  markCoordination,
  appealFlag,
  upholdAppeal,
  liftAction,
  type FlagStatus,
  type TakenAction,
  type FlagEventType,
  type FlagChange,
  type FlagState,
  type FlagEvidence,
  type FlagHistoryEntry,
  type FlagEvent,
  type FlagTransition,
  type RuleFiring,
  type FlagCommand,
  type FlagRefusalReason,
  type FlagRefusal,
  type FlagCommandResult,
  type AnalystCommand,
  watchFlag,
  endWatch,
  MAX_WATCH_MS,
  DEFAULT_WATCH_MS,
} from './flagging/flag-state';
export { ESCALATION_LADDER, nextOnLadder, strongerAction, type LadderAction } from './flagging/ladder';
export {
  FLAG_KINDS,
  FLAG_RECOMMENDATIONS,
  INVESTIGATE_ORIGIN,
  PROTECTED_ORIGINATOR_KINDS,
  flagKindOf,
  mayTakeAction,
  recommendationFor,
  type FlagKind,
  type FlagRecommendation,
  type ProtectedOriginatorKind,
} from './flagging/flag-kind';
export {
  DECISION_KINDS,
  DEFAULT_DECISION_REASONS,
  FLAG_DECISIONS,
  MAX_REASONS_PER_KIND,
  REASON_CODE,
  decisionKindOf,
  parseDecisionReasons,
  reasonCodeRefusal,
  type DecisionKind,
  type DecisionReasons,
  type FlagDecision,
} from './flagging/decision-reasons';
export {
  evaluateNumber,
  type EvaluateNumberInput,
  type EvaluateNumberResult,
} from './flagging/evaluate-number';
export {
  isSuspiciousReporter,
  standingAfterReport,
  carriesWeight,
  DEFAULT_DAILY_REPORT_LIMIT,
  REPORTER_STANDINGS,
  GUARD_WINDOW_MS,
  reportsInLast24hAmong,
  type GuardedReport,
  type ReporterStanding,
} from './flagging/reporter-guard';
export {
  coordinationShare,
  coordinatedReporters,
  isPossiblyCoordinated,
  DEFAULT_COORDINATION_OPTIONS,
  DEFAULT_COORDINATION_THRESHOLD,
  type CoordinationOptions,
} from './flagging/coordination';
export {
  replayReports,
  compareReplays,
  differenceOf,
  type ReplayReport,
  type ReplayedFlag,
  type ReplayResult,
  type ReplayDifference,
} from './flagging/what-if';
export {
  CHANGE_KINDS,
  changeKindOf,
  lowestThreshold,
  runWhatIf,
  summariseChanges,
  type ChangeKind,
  type ReplaySource,
  type WhatIfChanges,
  type WhatIfRun,
} from './flagging/what-if-run';
export { replayTimeline } from './flagging/replay-timeline';
export {
  isAllowlisted,
  allowlistEntryFor,
  allowlistMatcher,
  ALLOWLIST_ENTRY_KINDS,
  type AllowlistEntry,
  type AllowlistEntryKind,
} from './flagging/allowlist';

// ---------------------------------------------------------------------------------------------
// Access: roles, their permissions, and what people below supervisor see of reporters

export {
  ROLES,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  hasPermission,
  isRole,
  type Role,
  type Permission,
} from './access/roles';
export { mayUndoDecision } from './access/decision-guard';
export {
  checkTokenName,
  parseTokenLifetime,
  MAX_TOKEN_LIFETIME_MS,
  RESERVED_ACTORS,
  TOKEN_NAME_PATTERN,
  type TokenLifetime,
  type TokenNameCheck,
} from './access/token-rules';
export { maskNumber } from './access/mask-number';
export {
  DEFAULT_AGENT_SUBMISSIONS_PER_HOUR,
  outcomeUnderQuota,
  type QuotaOutcome,
} from './access/agent-quota';
export { maskNumbersInText } from './access/mask-numbers-in-text';

// ---------------------------------------------------------------------------------------------
// Reporting: the daily summary for management and the authority

export {
  REVIEW_OVERDUE,
  summarizeDay,
  percentile,
  dailySummaryCsv,
  dailySummariesCsv,
  NO_SHORT_CODE_KEY,
  UNKNOWN_KEY,
  type DailySummaryInput,
  type DailySummary,
} from './summary/daily-summary';
export { EARLIEST_REPORT_TIME, MAX_CLOCK_AHEAD_MS, nestsDeeperThan, reportTimeProblem } from './report-time';

// ---------------------------------------------------------------------------------------------
// Campaigns: text fingerprints, the signals that tie flagged numbers together, grouping, the next SIM

export {
  fingerprint,
  similarity,
  bandKeys,
  isEmptyFingerprint,
  normaliseForFingerprint,
  encodeFingerprint,
  decodeFingerprint,
  FINGERPRINT_SIZE,
  FINGERPRINT_BANDS,
  FINGERPRINT_ROWS,
  SHINGLE_LENGTH,
  DIGITS_TOKEN,
  FINGERPRINT_ENCODING_VERSION,
  FINGERPRINT_DECODE_PROBLEMS,
  type Fingerprint,
  type FingerprintDecodeProblem,
  type DecodeFingerprintResult,
} from './campaigns/text-fingerprint';
export {
  DEFAULT_CAMPAIGN_RULES,
  CAMPAIGN_RULE_FIELDS,
  CAMPAIGN_RULE_BOUNDS,
  validateCampaignRules,
  type CampaignRules,
  type ValidateCampaignRulesResult,
} from './campaigns/campaign-rules';
export {
  findCampaignLinks,
  LINK_SIGNAL_KINDS,
  MAX_FINGERPRINTS_PER_NUMBER,
  MAX_NUMBERS_PER_SHARED_REPORTER,
  type CampaignReport,
  type FlaggedNumberEvidence,
  type LinkSignalKind,
  type LinkSignal,
  type CampaignLink,
} from './campaigns/campaign-links';
export {
  groupCampaigns,
  groupLinkedNumbers,
  resolveOverrides,
  campaignSeverity,
  CAMPAIGN_OVERRIDE_KINDS,
  type CampaignOverride,
  type CampaignOverrideKind,
  type ResolvedOverrides,
  type MemberEvidence,
  type CampaignGroup,
  type GroupCampaignsResult,
} from './campaigns/group-campaigns';
export {
  indexActionedCampaigns,
  campaignsMatching,
  matchNextSim,
  type ActionedCampaignFingerprints,
  type ActionedCampaignIndex,
  type NewNumberReport,
  type NextSimDecision,
} from './campaigns/next-sim';
export {
  campaignCatchOf,
  indexCampaignTexts,
  runCampaignView,
  summariseCampaignView,
  NEXT_SIM_REACH_MS,
  type ActionedCampaignAt,
  type CampaignCatch,
  type CampaignReplaySource,
  type CampaignTextIndex,
  type CampaignView,
  type TextReport,
} from './campaigns/what-if-campaigns';
export {
  matchStoredCampaigns,
  type StoredCampaignMembers,
  type MatchedCampaign,
  type CampaignMatching,
} from './campaigns/match-stored-campaigns';
export {
  CAMPAIGN_STATUSES,
  CAMPAIGN_DECISIONS,
  CAMPAIGN_COMMANDS,
  NEXT_SIM_RULE_ID,
  campaignCommandRefusal,
  statusAfterDecision,
  takenActionOf,
  flagNextSim,
  type CampaignStatus,
  type CampaignDecision,
  type CampaignCommand,
  type CampaignStatusRefusal,
  type NextSimEvidence,
  type NextSimFlagInput,
} from './campaigns/campaign-state';
export {
  fingerprintTexts,
  decodeStoredFingerprints,
  numberBlockRange,
  overrideFromStored,
  type StoredOverride,
} from './campaigns/incremental';
export {
  APPEAL_STATUSES,
  APPEAL_DECISIONS,
  APPEAL_CHANNELS,
  MAX_APPEAL_STATEMENT_CHARS,
  DEFAULT_APPEAL_SLA_MS,
  MAX_APPEAL_ALLOWLIST_MS,
  appealStatusAfter,
  isAppealOverdue,
  type AppealStatus,
  type AppealDecision,
  type AppealChannel,
} from './appeals/appeals';
