/**
 * The report-intake domain: plain functions and types, no framework, no I/O. Functions return
 * result values and never throw.
 */

// Kinds of report and why a text is not one
export { REPORT_KINDS, REPORT_KEYWORDS, type ReportKind } from './report-kind';
export {
  REJECTION_REASONS,
  NOT_A_REPORT_KINDS,
  type RejectionReason,
  type NotAReportKind,
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
export { replyFor } from './replies/reply-for';
export { isGsm7Basic, SINGLE_SMS_LENGTH } from './replies/gsm7';

// Reports from the hotline and the API
export {
  validateSubmittedReport,
  SUBMITTED_REPORT_FIELDS,
  FIELD_ERROR_CODES,
  DEFAULT_MAX_DESCRIPTION_LENGTH,
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
