/**
 * Validating a report taken by a hotline operator (or any API client) as structured JSON:
 *
 *   { reporter, reportedNumber, kind, category?, description?, agentId, submittedAt?, idempotencyKey? }
 *
 * Numbers go through the same normalisation as SMS reports; the category comes from the
 * description when the operator did not choose one. Every problem is reported, field by field.
 */
import { categorizeContent } from '../categories/categorize-content';
import { CATEGORIES, type Category } from '../categories/category-keywords';
import type { Carrier } from '../numbering/carriers';
import { normalizeNumber, type NormalizedNumber } from '../numbering/normalize-number';
import { reporterNumber } from '../numbering/reporter-number';
import type { NumberType } from '../numbering/vietnam-numbering-plan';
import { REPORT_KINDS, type ReportKind } from '../report-kind';
import { hasUnprintableCharacter, printableText, sanitizeText } from '../text/sanitize';
import { isPlainObject, typeName } from '../json-values';

export const SUBMITTED_REPORT_FIELDS = [
  'reporter',
  'reportedNumber',
  'kind',
  'category',
  'description',
  'agentId',
  'submittedAt',
  'idempotencyKey',
] as const;
export type SubmittedReportField = (typeof SUBMITTED_REPORT_FIELDS)[number];

export const DEFAULT_MAX_DESCRIPTION_LENGTH = 2_000;
export const MAX_AGENT_ID_LENGTH = 64;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
/**
 * How old a call may be when its report is entered: a report backdated by weeks would count in
 * windows that closed long ago, next to reports nobody could have seen then.
 */
export const DEFAULT_MAX_SUBMISSION_AGE_MS = 7 * 86_400_000;
/** How far ahead of this server's clock an agent's clock may run: a call is never in the future. */
export const MAX_SUBMISSION_CLOCK_SKEW_MS = 5 * 60_000;
/** Unknown fields named one by one; a flood of them is summed up, so the answer stays small. */
export const MAX_UNKNOWN_FIELDS_NAMED = 10;
/** The longest unknown field name repeated in an error. */
const MAX_FIELD_NAME_SHOWN = 64;

export const FIELD_ERROR_CODES = [
  'not_an_object',
  'unknown_field',
  'required',
  'wrong_type',
  'invalid_value',
  'too_long',
  'invalid_number',
  'protected_number',
  'self_report',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export interface FieldError {
  /** The field name, or '$' for the input as a whole. */
  readonly field: string;
  readonly code: FieldErrorCode;
  readonly message: string;
}

export interface SubmittedReport {
  readonly kind: ReportKind;
  readonly reporter: string;
  readonly reportedNumber: string;
  readonly numberType: NumberType;
  readonly carrier: Carrier | null;
  readonly convertedFromLegacy: boolean;
  /** The description, trimmed and NFC; null when absent or blank. */
  readonly content: string | null;
  readonly category: Category;
  /** The keyword that decided the category when it came from the description; otherwise null. */
  readonly categoryKeyword: string | null;
  readonly agentId: string;
  /** ISO 8601 in UTC ('2024-05-01T08:30:00.000Z'); null when the client did not say. */
  readonly submittedAt: string | null;
  readonly idempotencyKey: string | null;
}

export type ValidateSubmittedReportResult =
  | { readonly ok: true; readonly report: SubmittedReport }
  | { readonly ok: false; readonly reason: 'invalid_fields'; readonly fieldErrors: readonly FieldError[] };

export interface ValidateSubmittedReportOptions {
  readonly maxDescriptionLength?: number;
  readonly protectedNumbers?: readonly string[];
  /**
   * The clock submittedAt is checked against: at most `maxAgeMs` old, and not in the future
   * (beyond MAX_SUBMISSION_CLOCK_SKEW_MS). Without it, only its form is checked.
   */
  readonly now?: Date;
  /** Default DEFAULT_MAX_SUBMISSION_AGE_MS. */
  readonly maxAgeMs?: number;
}

/** Date-time with a time zone; fractions of a second optional. */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether the ISO date-time names a real instant (2024-02-30 is not one, though Date accepts it). */
function parseIsoDateTime(value: string): string | null {
  const match = ISO_DATE_TIME.exec(value);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second] = match;
  const milliseconds = Date.parse(value);
  if (Number.isNaN(milliseconds)) return null;
  const monthNumber = Number(month);
  const dayNumber = Number(day);
  const daysInMonth = new Date(Date.UTC(Number(year), monthNumber, 0)).getUTCDate();
  if (monthNumber < 1 || monthNumber > 12 || dayNumber < 1 || dayNumber > daysInMonth) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? '0') > 59) return null;
  return new Date(milliseconds).toISOString();
}

class FieldErrors {
  readonly list: FieldError[] = [];

  add(field: string, code: FieldErrorCode, message: string): void {
    this.list.push({ field, code, message });
  }

  /** The value when it is a string; records an error otherwise (missing or wrong type). */
  string(input: Record<string, unknown>, field: SubmittedReportField, required: boolean): string | undefined {
    const value = input[field];
    if (value === undefined) {
      if (required) this.add(field, 'required', `${field} is required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(field, 'wrong_type', `${field} must be a string, got ${typeName(value)}`);
      return undefined;
    }
    return value;
  }

  /** The reporter as counted: a Vietnamese subscriber's E.164 number, like the sender of an SMS. */
  reporter(raw: string | undefined): NormalizedNumber | undefined {
    if (raw === undefined) return undefined;
    const checked = reporterNumber(raw);
    if (checked.ok) return checked.number;
    this.add('reporter', 'invalid_number', 'reporter is not a Vietnamese mobile or fixed-line number');
    return undefined;
  }

  number(
    field: SubmittedReportField,
    raw: string | undefined,
    protectedNumbers?: readonly string[],
  ): NormalizedNumber | undefined {
    if (raw === undefined) return undefined;
    const normalized = normalizeNumber(raw, { protectedNumbers });
    if (normalized.ok) return normalized;
    if (normalized.reason === 'protected_number') {
      this.add(
        field,
        'protected_number',
        `${field} is an emergency, reporting or protected number and cannot be reported`,
      );
    } else {
      this.add(field, 'invalid_number', `${field} is not a valid Vietnamese phone number`);
    }
    return undefined;
  }
}

/** '7 days', '36 hours', '90 minutes': a bound as an agent reads it in an error. */
function describeDuration(ms: number): string {
  const [unit, size] =
    ms % 86_400_000 === 0
      ? ['day', 86_400_000]
      : ms % 3_600_000 === 0
        ? ['hour', 3_600_000]
        : ['minute', 60_000];
  const count = Math.round(ms / size);
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** What is wrong with the time a call was taken (epoch milliseconds), in words; null when nothing. */
function submittedAtProblem(submittedAt: number, now: number, maxAgeMs: number): string | null {
  if (submittedAt > now + MAX_SUBMISSION_CLOCK_SKEW_MS) return 'must not be in the future';
  if (submittedAt < now - maxAgeMs) return `must not be more than ${describeDuration(maxAgeMs)} ago`;
  return null;
}

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** Validates and normalises a structured report. Never throws; reports every problem found. */
export function validateSubmittedReport(
  input: unknown,
  options: ValidateSubmittedReportOptions = {},
): ValidateSubmittedReportResult {
  const errors = new FieldErrors();
  if (!isPlainObject(input)) {
    errors.add('$', 'not_an_object', `the report must be a JSON object, got ${typeName(input)}`);
    return { ok: false, reason: 'invalid_fields', fieldErrors: errors.list };
  }
  const unknownFields = Object.keys(input).filter((field) => !oneOf(SUBMITTED_REPORT_FIELDS, field));
  // The names are the client's: shown printable and cut, and not more than a few of them.
  for (const field of unknownFields.slice(0, MAX_UNKNOWN_FIELDS_NAMED)) {
    errors.add(
      printableText(field, MAX_FIELD_NAME_SHOWN),
      'unknown_field',
      `unknown field; allowed fields: ${SUBMITTED_REPORT_FIELDS.join(', ')}`,
    );
  }
  if (unknownFields.length > MAX_UNKNOWN_FIELDS_NAMED) {
    errors.add(
      '$',
      'unknown_field',
      `${unknownFields.length - MAX_UNKNOWN_FIELDS_NAMED} more unknown fields not named here`,
    );
  }

  const reporterRaw = errors.string(input, 'reporter', true);
  const reportedRaw = errors.string(input, 'reportedNumber', true);
  const kindRaw = errors.string(input, 'kind', true);
  const categoryRaw = errors.string(input, 'category', false);
  const descriptionRaw = errors.string(input, 'description', false);
  const agentIdRaw = errors.string(input, 'agentId', true);
  const submittedAtRaw = errors.string(input, 'submittedAt', false);
  const idempotencyKeyRaw = errors.string(input, 'idempotencyKey', false);

  const reporter = errors.reporter(reporterRaw);
  const reported = errors.number('reportedNumber', reportedRaw, options.protectedNumbers);
  if (reporter !== undefined && reported !== undefined && reporter.e164 === reported.e164) {
    errors.add('reportedNumber', 'self_report', 'reportedNumber must differ from reporter');
  }

  let kind: ReportKind | undefined;
  if (kindRaw !== undefined) {
    if (oneOf(REPORT_KINDS, kindRaw)) kind = kindRaw;
    else errors.add('kind', 'invalid_value', `kind must be one of ${REPORT_KINDS.join(', ')}`);
  }
  let chosenCategory: Category | undefined;
  if (categoryRaw !== undefined) {
    if (oneOf(CATEGORIES, categoryRaw)) chosenCategory = categoryRaw;
    else errors.add('category', 'invalid_value', `category must be one of ${CATEGORIES.join(', ')}`);
  }

  const maxDescriptionLength = options.maxDescriptionLength ?? DEFAULT_MAX_DESCRIPTION_LENGTH;
  let content: string | null = null;
  if (descriptionRaw !== undefined) {
    if (descriptionRaw.length > maxDescriptionLength) {
      errors.add('description', 'too_long', `description must be at most ${maxDescriptionLength} characters`);
    } else {
      const cleaned = sanitizeText(descriptionRaw).trim();
      content = cleaned.length === 0 ? null : cleaned;
    }
  }

  let agentId: string | undefined;
  if (agentIdRaw !== undefined) {
    const trimmed = agentIdRaw.trim();
    if (trimmed.length === 0) errors.add('agentId', 'required', 'agentId must not be blank');
    else if (trimmed.length > MAX_AGENT_ID_LENGTH) {
      errors.add('agentId', 'too_long', `agentId must be at most ${MAX_AGENT_ID_LENGTH} characters`);
    } else if (hasUnprintableCharacter(trimmed)) {
      errors.add('agentId', 'invalid_value', 'agentId must not contain control or invisible characters');
    } else agentId = trimmed;
  }

  let submittedAt: string | null = null;
  if (submittedAtRaw !== undefined) {
    submittedAt = parseIsoDateTime(submittedAtRaw);
    if (submittedAt === null) {
      errors.add(
        'submittedAt',
        'invalid_value',
        'submittedAt must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T08:30:00+07:00',
      );
    } else if (options.now !== undefined) {
      const problem = submittedAtProblem(
        Date.parse(submittedAt),
        options.now.getTime(),
        options.maxAgeMs ?? DEFAULT_MAX_SUBMISSION_AGE_MS,
      );
      if (problem !== null) errors.add('submittedAt', 'invalid_value', `submittedAt ${problem}`);
    }
  }

  let idempotencyKey: string | null = null;
  if (idempotencyKeyRaw !== undefined) {
    if (idempotencyKeyRaw.length === 0)
      errors.add('idempotencyKey', 'invalid_value', 'idempotencyKey must not be empty');
    else if (idempotencyKeyRaw.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      errors.add(
        'idempotencyKey',
        'too_long',
        `idempotencyKey must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      );
    } else if (hasUnprintableCharacter(idempotencyKeyRaw)) {
      errors.add(
        'idempotencyKey',
        'invalid_value',
        'idempotencyKey must not contain control or invisible characters',
      );
    } else idempotencyKey = idempotencyKeyRaw;
  }

  if (
    errors.list.length > 0 ||
    reporter === undefined ||
    reported === undefined ||
    kind === undefined ||
    agentId === undefined
  ) {
    return { ok: false, reason: 'invalid_fields', fieldErrors: errors.list };
  }
  const categorization =
    chosenCategory !== undefined ? { category: chosenCategory, keyword: null } : categorizeContent(content);
  return {
    ok: true,
    report: {
      kind,
      reporter: reporter.e164,
      reportedNumber: reported.e164,
      numberType: reported.numberType,
      carrier: reported.carrier,
      convertedFromLegacy: reported.convertedFromLegacy,
      content,
      category: categorization.category,
      categoryKeyword: categorization.keyword,
      agentId,
      submittedAt,
      idempotencyKey,
    },
  };
}
