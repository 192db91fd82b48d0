/**
 * The thresholds of campaign detection: data, versioned and validated like the flag rules
 * (flagging/rules.ts), edited by the abuse team. DEFAULT_CAMPAIGN_RULES are the values a fresh
 * database starts with; decision 0051 says why each is what it is.
 *
 * Which numbers belong together is decided link by link: each pair of flagged numbers gets the
 * signals it shows (near-identical content, one number block, shared reporters, co-timed onset),
 * each worth its weight; a link joins the two numbers when the weights reach `minLinkScore`. The
 * validator refuses weights that let one supporting signal (block, reporters, onset) reach it alone.
 */
import type { FieldError } from '../submitted-report/validate-submitted-report';
import { isPlainObject, typeName } from '../json-values';

export interface CampaignRules {
  /** Grows with every edit; a campaign records the version that grouped it. */
  readonly version: number;
  /** Text fingerprints at least this similar (0.5 to 1) are the same script. */
  readonly contentSimilarity: number;
  /** Words (digit runs aside) a text needs before its likeness means anything: 'lừa đảo' matches everyone. */
  readonly minContentWords: number;
  /** Digits of the national significant number two numbers share to be in one block (6 to 8). */
  readonly blockPrefixDigits: number;
  /** Days at most between the two numbers' reported periods for the block to count. */
  readonly blockWithinDays: number;
  /** Distinct reporters who reported both numbers... */
  readonly sharedReportersMin: number;
  /** ...each within this many hours between their two reports. */
  readonly sharedReportersWithinHours: number;
  /** Hours at most between the two numbers' first reports for a co-timed onset. */
  readonly onsetWithinHours: number;
  readonly contentWeight: number;
  readonly numberBlockWeight: number;
  readonly sharedReportersWeight: number;
  readonly coTimedOnsetWeight: number;
  /** The weights a link needs to join two numbers. */
  readonly minLinkScore: number;
  /** Numbers a group needs to be a campaign. */
  readonly minMembers: number;
  /** Members from which a campaign is high severity whatever its members' flags say. */
  readonly highSeverityMembers: number;
  /** Distinct reporters whose reports match an actioned campaign that flag a new number. */
  readonly nextSimMinReporters: number;
}

export const DEFAULT_CAMPAIGN_RULES: CampaignRules = {
  version: 1,
  contentSimilarity: 0.6,
  minContentWords: 6,
  blockPrefixDigits: 7,
  blockWithinDays: 7,
  sharedReportersMin: 2,
  sharedReportersWithinHours: 24,
  onsetWithinHours: 6,
  contentWeight: 2,
  numberBlockWeight: 1,
  sharedReportersWeight: 1,
  coTimedOnsetWeight: 1,
  minLinkScore: 2,
  minMembers: 2,
  highSeverityMembers: 10,
  nextSimMinReporters: 2,
};

export const CAMPAIGN_RULE_FIELDS = [
  'version',
  'contentSimilarity',
  'minContentWords',
  'blockPrefixDigits',
  'blockWithinDays',
  'sharedReportersMin',
  'sharedReportersWithinHours',
  'onsetWithinHours',
  'contentWeight',
  'numberBlockWeight',
  'sharedReportersWeight',
  'coTimedOnsetWeight',
  'minLinkScore',
  'minMembers',
  'highSeverityMembers',
  'nextSimMinReporters',
] as const satisfies readonly (keyof CampaignRules)[];

/**
 * Inclusive bounds of each field. contentSimilarity starts at 0.5 because the index's bands find
 * pairs below that too seldom (a third of them at 0.4): a lower threshold would promise matches the
 * index does not deliver. The block is 1,000 to 10 numbers: a shorter prefix is a carrier's range,
 * not a purchase. Windows stop at a month, the longest flag window. A reporter alone never makes
 * a shared-reporters signal, nor flags a number alone.
 */
export const CAMPAIGN_RULE_BOUNDS: Readonly<
  Record<
    Exclude<keyof CampaignRules, 'version'>,
    { readonly min: number; readonly max: number; readonly integer: boolean }
  >
> = {
  contentSimilarity: { min: 0.5, max: 1, integer: false },
  minContentWords: { min: 1, max: 50, integer: true },
  blockPrefixDigits: { min: 6, max: 8, integer: true },
  blockWithinDays: { min: 1, max: 30, integer: true },
  sharedReportersMin: { min: 2, max: 50, integer: true },
  sharedReportersWithinHours: { min: 1, max: 720, integer: true },
  onsetWithinHours: { min: 1, max: 720, integer: true },
  contentWeight: { min: 0, max: 10, integer: true },
  numberBlockWeight: { min: 0, max: 10, integer: true },
  sharedReportersWeight: { min: 0, max: 10, integer: true },
  coTimedOnsetWeight: { min: 0, max: 10, integer: true },
  minLinkScore: { min: 1, max: 40, integer: true },
  minMembers: { min: 2, max: 1_000, integer: true },
  highSeverityMembers: { min: 2, max: 100_000, integer: true },
  nextSimMinReporters: { min: 2, max: 50, integer: true },
};

/** Signals that only support: none of them may join two numbers on its own. */
const SUPPORTING_WEIGHTS = ['numberBlockWeight', 'sharedReportersWeight', 'coTimedOnsetWeight'] as const;

export type ValidateCampaignRulesResult =
  | { readonly ok: true; readonly rules: CampaignRules }
  | {
      readonly ok: false;
      readonly reason: 'invalid_campaign_rules';
      readonly fieldErrors: readonly FieldError[];
    };

/** Validates campaign rules written as JSON (the rules API, a what-if file). Every problem is reported; never throws. */
export function validateCampaignRules(input: unknown): ValidateCampaignRulesResult {
  const invalid = (fieldErrors: FieldError[]): ValidateCampaignRulesResult => ({
    ok: false,
    reason: 'invalid_campaign_rules',
    fieldErrors,
  });
  if (!isPlainObject(input)) {
    return invalid([
      {
        field: '$',
        code: 'not_an_object',
        message: `campaign rules must be a JSON object, got ${typeName(input)}`,
      },
    ]);
  }
  const errors: FieldError[] = [];
  for (const field of Object.keys(input)) {
    if (!(CAMPAIGN_RULE_FIELDS as readonly string[]).includes(field)) {
      errors.push({
        field,
        code: 'unknown_field',
        message: `unknown field; allowed fields: ${CAMPAIGN_RULE_FIELDS.join(', ')}`,
      });
    }
  }
  const read = (
    field: keyof CampaignRules,
    min: number,
    max: number,
    integer: boolean,
  ): number | undefined => {
    const value = input[field];
    if (value === undefined) {
      errors.push({ field, code: 'required', message: `${field} is required` });
      return undefined;
    }
    if (typeof value !== 'number') {
      errors.push({
        field,
        code: 'wrong_type',
        message: `${field} must be a number, got ${typeName(value)}`,
      });
      return undefined;
    }
    if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value)) || value < min || value > max) {
      const what = integer ? 'a whole number' : 'a number';
      errors.push({
        field,
        code: 'invalid_value',
        message: `${field} must be ${what} from ${min} to ${max}`,
      });
      return undefined;
    }
    return value;
  };

  const values: Partial<Record<keyof CampaignRules, number>> = {};
  values.version = read('version', 1, Number.MAX_SAFE_INTEGER, true);
  for (const [field, bounds] of Object.entries(CAMPAIGN_RULE_BOUNDS) as [
    Exclude<keyof CampaignRules, 'version'>,
    { min: number; max: number; integer: boolean },
  ][]) {
    values[field] = read(field, bounds.min, bounds.max, bounds.integer);
  }
  if (errors.length > 0) return invalid(errors);
  const rules = values as CampaignRules;

  for (const weight of SUPPORTING_WEIGHTS) {
    if (rules[weight] >= rules.minLinkScore) {
      errors.push({
        field: weight,
        code: 'invalid_value',
        message: `${weight} must be below minLinkScore (${rules.minLinkScore}): one supporting signal alone must not join two numbers`,
      });
    }
  }
  const reachable =
    rules.contentWeight + rules.numberBlockWeight + rules.sharedReportersWeight + rules.coTimedOnsetWeight;
  if (reachable < rules.minLinkScore) {
    errors.push({
      field: 'minLinkScore',
      code: 'invalid_value',
      message: `minLinkScore (${rules.minLinkScore}) is more than all weights together (${reachable}): nothing could ever be grouped`,
    });
  }
  if (rules.highSeverityMembers < rules.minMembers) {
    errors.push({
      field: 'highSeverityMembers',
      code: 'invalid_value',
      message: `highSeverityMembers must be at least minMembers (${rules.minMembers})`,
    });
  }
  if (errors.length > 0) return invalid(errors);
  // A fresh object in field order: nothing of the input beyond the known fields is kept.
  const clean = Object.fromEntries(CAMPAIGN_RULE_FIELDS.map((field) => [field, rules[field]]));
  return { ok: true, rules: clean as unknown as CampaignRules };
}
