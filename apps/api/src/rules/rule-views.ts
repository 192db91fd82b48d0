import { z } from 'zod';
import {
  CATEGORIES,
  MAX_RULE_ID_LENGTH,
  MAX_RULE_NAME_LENGTH,
  MEASURES,
  NUMBER_TYPES,
  RECOMMENDED_ACTIONS,
  REPORT_KINDS,
  SEVERITIES,
  WINDOWS,
} from '@abuse-monitor/domain';
import { typedText } from '../http/common-schemas';

const windowSeconds = z
  .union(WINDOWS.map((w) => z.literal(w)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>])
  .describe(`one of ${WINDOWS.join(', ')} seconds (1 h, 24 h, 7 d, 30 d)`);

/** The fields a person sets; id and version are the API's. */
export const ruleFields = {
  name: typedText(MAX_RULE_NAME_LENGTH),
  windowSeconds,
  measure: z.enum(MEASURES),
  kind: z.enum(REPORT_KINDS).nullable().optional(),
  category: z.enum(CATEGORIES).nullable().optional(),
  numberType: z.enum(NUMBER_TYPES).nullable().optional(),
  threshold: z.number().int().min(1).max(1_000_000),
  severity: z.enum(SEVERITIES),
  action: z.enum(RECOMMENDED_ACTIONS),
  enabled: z.boolean().optional(),
};

export const ruleId = z
  .string()
  .max(MAX_RULE_ID_LENGTH)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, . _ - (starting with a letter or digit)');

export const ruleDefinition = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  windowSeconds: z.number().int(),
  measure: z.enum(MEASURES),
  kind: z.enum(REPORT_KINDS).nullable(),
  category: z.enum(CATEGORIES).nullable(),
  numberType: z.enum(NUMBER_TYPES).nullable(),
  threshold: z.number().int(),
  severity: z.enum(SEVERITIES),
  action: z.enum(RECOMMENDED_ACTIONS),
  enabled: z.boolean(),
});
export type RuleDefinition = z.input<typeof ruleDefinition>;

export const ruleView = ruleDefinition.extend({ updatedAt: z.string(), updatedBy: z.string() });
export type RuleView = z.input<typeof ruleView>;

/** A rules row, or a rule_versions definition (the same columns as jsonb), as the API shows it. */
export function ruleDefinitionOf(row: Record<string, unknown>): RuleDefinition {
  return {
    id: row.id as string,
    version: row.version as number,
    name: row.name as string,
    windowSeconds: row.window_seconds as number,
    measure: row.measure as RuleDefinition['measure'],
    kind: (row.kind ?? null) as RuleDefinition['kind'],
    category: (row.category ?? null) as RuleDefinition['category'],
    numberType: (row.number_type ?? null) as RuleDefinition['numberType'],
    threshold: row.threshold as number,
    severity: row.severity as RuleDefinition['severity'],
    action: row.action as RuleDefinition['action'],
    enabled: row.enabled as boolean,
  };
}

export function ruleViewOf(row: Record<string, unknown>): RuleView {
  return {
    ...ruleDefinitionOf(row),
    updatedAt: (row.updated_at as Date).toISOString(),
    updatedBy: row.updated_by as string,
  };
}
