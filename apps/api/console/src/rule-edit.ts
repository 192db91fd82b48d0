import type { RuleFields } from './admin-types.ts';

/** The pure part of editing a rule: what the form holds, and what differs from the rule as read. */

const FIELD_NAMES = [
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
] as const satisfies readonly (keyof RuleFields)[];

/** The rule as the form holds it: an empty choice is "any" (null); the threshold a whole number or NaN. */
export function ruleFromForm(data: { get(name: string): unknown }): RuleFields {
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const orNull = (name: string) => text(name) || null;
  return {
    name: text('name'),
    windowSeconds: Number(text('windowSeconds')),
    measure: text('measure'),
    kind: orNull('kind'),
    category: orNull('category'),
    numberType: orNull('numberType'),
    threshold: /^\d+$/.test(text('threshold')) ? Number(text('threshold')) : Number.NaN,
    severity: text('severity'),
    action: text('action'),
    enabled: data.get('enabled') !== null,
  };
}

/** Only the fields the person changed: what the preview and the saved version will carry. */
export function changedFields(current: RuleFields, edited: RuleFields): Partial<RuleFields> {
  const changes: Partial<RuleFields> = {};
  for (const name of FIELD_NAMES)
    if (current[name] !== edited[name]) (changes as Record<string, unknown>)[name] = edited[name];
  return changes;
}

/** The same changes, as a key that tells whether the form still holds what was previewed. */
export function changesKey(changes: Partial<RuleFields>): string {
  return JSON.stringify(FIELD_NAMES.filter((n) => n in changes).map((n) => [n, changes[n]]));
}
