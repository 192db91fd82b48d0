/**
 * Validating a rule written as JSON (the rules API, the what-if rules file). Every problem is
 * reported, field by field, with the same error shape as submitted reports.
 */
import { CATEGORIES } from '../categories/category-keywords';
import { NUMBER_TYPES } from '../numbering/vietnam-numbering-plan';
import { REPORT_KINDS } from '../report-kind';
import type { FieldError, FieldErrorCode } from '../submitted-report/validate-submitted-report';
import { MEASURES, RECOMMENDED_ACTIONS, SEVERITIES, WINDOWS, type Rule } from './rules';
import { isPlainObject, typeName } from '../json-values';

export const RULE_FIELDS = [
  'id',
  'version',
  'name',
  'windowSeconds',
  'measure',
  'kind',
  'category',
  'numberType',
  'threshold',
  'severity',
  'action',
  'enabled',
] as const;

export const MAX_RULE_ID_LENGTH = 64;
export const MAX_RULE_NAME_LENGTH = 200;
const RULE_ID = /^[a-z0-9][a-z0-9._-]*$/;

export type ValidateRuleResult =
  | { readonly ok: true; readonly rule: Rule }
  | { readonly ok: false; readonly reason: 'invalid_rule'; readonly fieldErrors: readonly FieldError[] };

export type ValidateRuleSetResult =
  | { readonly ok: true; readonly rules: readonly Rule[] }
  | { readonly ok: false; readonly reason: 'invalid_rules'; readonly fieldErrors: readonly FieldError[] };

class RuleReader {
  readonly errors: FieldError[] = [];

  constructor(
    private readonly input: Record<string, unknown>,
    private readonly prefix: string,
  ) {}

  add(field: string, code: FieldErrorCode, message: string): void {
    this.errors.push({ field: this.prefix + field, code, message });
  }

  private present(field: string): unknown {
    const value = this.input[field];
    if (value === undefined) this.add(field, 'required', `${field} is required`);
    return value;
  }

  string(field: string, maxLength: number): string | undefined {
    const value = this.present(field);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.add(field, 'wrong_type', `${field} must be a string, got ${typeName(value)}`);
      return undefined;
    }
    if (value.trim().length === 0) {
      this.add(field, 'required', `${field} must not be blank`);
      return undefined;
    }
    if (value.length > maxLength) {
      this.add(field, 'too_long', `${field} must be at most ${maxLength} characters`);
      return undefined;
    }
    return value;
  }

  positiveInteger(field: string): number | undefined {
    const value = this.present(field);
    if (value === undefined) return undefined;
    if (typeof value !== 'number') {
      this.add(field, 'wrong_type', `${field} must be a number, got ${typeName(value)}`);
      return undefined;
    }
    if (!Number.isSafeInteger(value) || value < 1) {
      this.add(field, 'invalid_value', `${field} must be a whole number of at least 1`);
      return undefined;
    }
    return value;
  }

  boolean(field: string): boolean | undefined {
    const value = this.present(field);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.add(field, 'wrong_type', `${field} must be true or false, got ${typeName(value)}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string | number>(field: string, allowed: readonly T[]): T | undefined {
    const value = this.present(field);
    if (value === undefined) return undefined;
    if (!(allowed as readonly unknown[]).includes(value)) {
      this.add(field, 'invalid_value', `${field} must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  /** Absent or null means "any". */
  optionalFilter<T extends string>(field: string, allowed: readonly T[]): T | null | undefined {
    const value = this.input[field];
    if (value === undefined || value === null) return null;
    if (!(allowed as readonly unknown[]).includes(value)) {
      this.add(field, 'invalid_value', `${field} must be null or one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }
}

function readRule(input: unknown, prefix: string): { rule: Rule | null; errors: FieldError[] } {
  if (!isPlainObject(input)) {
    const field = prefix === '' ? '$' : prefix.replace(/\.$/, '');
    const error: FieldError = {
      field,
      code: 'not_an_object',
      message: `a rule must be a JSON object, got ${typeName(input)}`,
    };
    return { rule: null, errors: [error] };
  }
  const reader = new RuleReader(input, prefix);
  for (const field of Object.keys(input)) {
    if (!(RULE_FIELDS as readonly string[]).includes(field)) {
      reader.add(field, 'unknown_field', `unknown field; allowed fields: ${RULE_FIELDS.join(', ')}`);
    }
  }
  const id = reader.string('id', MAX_RULE_ID_LENGTH);
  if (id !== undefined && !RULE_ID.test(id)) {
    reader.add('id', 'invalid_value', 'id must be lower-case letters, digits, dots, dashes or underscores');
  }
  const version = reader.positiveInteger('version');
  const name = reader.string('name', MAX_RULE_NAME_LENGTH);
  const windowSeconds = reader.oneOf('windowSeconds', WINDOWS);
  const measure = reader.oneOf('measure', MEASURES);
  const kind = reader.optionalFilter('kind', REPORT_KINDS);
  const category = reader.optionalFilter('category', CATEGORIES);
  const numberType = reader.optionalFilter('numberType', NUMBER_TYPES);
  const threshold = reader.positiveInteger('threshold');
  const severity = reader.oneOf('severity', SEVERITIES);
  const action = reader.oneOf('action', RECOMMENDED_ACTIONS);
  const enabled = reader.boolean('enabled');

  if (
    reader.errors.length > 0 ||
    id === undefined ||
    version === undefined ||
    name === undefined ||
    windowSeconds === undefined ||
    measure === undefined ||
    kind === undefined ||
    category === undefined ||
    numberType === undefined ||
    threshold === undefined ||
    severity === undefined ||
    action === undefined ||
    enabled === undefined
  ) {
    return { rule: null, errors: reader.errors };
  }
  const rule: Rule = {
    id,
    version,
    name: name.trim(),
    windowSeconds,
    measure,
    kind,
    category,
    numberType,
    threshold,
    severity,
    action,
    enabled,
  };
  return { rule, errors: [] };
}

/** Validates one rule. Absent filters become null ("any"). Never throws. */
export function validateRule(input: unknown): ValidateRuleResult {
  const { rule, errors } = readRule(input, '');
  if (rule === null) return { ok: false, reason: 'invalid_rule', fieldErrors: errors };
  return { ok: true, rule };
}

/**
 * Validates a rule table (a JSON array). Field names are prefixed with the rule's position
 * ('[2].threshold'); two rules with the same id are an error, since a flag names its rule by id.
 */
export function validateRuleSet(input: unknown): ValidateRuleSetResult {
  if (!Array.isArray(input)) {
    const error: FieldError = {
      field: '$',
      code: 'wrong_type',
      message: `the rules must be a JSON array, got ${typeName(input)}`,
    };
    return { ok: false, reason: 'invalid_rules', fieldErrors: [error] };
  }
  const rules: Rule[] = [];
  const fieldErrors: FieldError[] = [];
  const seenIds = new Set<string>();
  input.forEach((element: unknown, index) => {
    const { rule, errors } = readRule(element, `[${index}].`);
    fieldErrors.push(...errors);
    if (rule === null) return;
    if (seenIds.has(rule.id)) {
      fieldErrors.push({
        field: `[${index}].id`,
        code: 'invalid_value',
        message: `id ${rule.id} is used by an earlier rule`,
      });
    }
    seenIds.add(rule.id);
    rules.push(rule);
  });
  if (fieldErrors.length > 0) return { ok: false, reason: 'invalid_rules', fieldErrors };
  return { ok: true, rules };
}
