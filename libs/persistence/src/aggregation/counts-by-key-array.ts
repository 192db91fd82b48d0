import type { KindOrCategoryCount } from '@abuse-monitor/domain';
import { textArray } from '../array-literal';

type CountsByKey = Readonly<Record<string, KindOrCategoryCount>>;

/** Each key as JSON inside a quoted array element; the keys are the kinds and categories, a few dozen. */
const escapedKeys = new Map<string, string>();

function escapedKey(key: string): string {
  let escaped = escapedKeys.get(key);
  if (escaped === undefined) {
    escaped = textArray([JSON.stringify(key)]).slice(2, -2);
    escapedKeys.set(key, escaped);
  }
  return escaped;
}

/** Kinds and categories with no report are left out: most numbers have one of each. */
export function nonZeroJson(byKey: CountsByKey): string {
  const kept: Record<string, KindOrCategoryCount> = {};
  for (const key in byKey) if (byKey[key].reports > 0) kept[key] = byKey[key];
  return JSON.stringify(kept);
}

/** One element: nonZeroJson, quoted and escaped, or null when a count is not a plain integer. */
function element(byKey: CountsByKey): string | null {
  let members = '';
  for (const key in byKey) {
    const { reports, distinctReporters } = byKey[key];
    if (!Number.isSafeInteger(reports) || !Number.isSafeInteger(distinctReporters)) return null;
    if (reports <= 0) continue;
    if (members !== '') members += ',';
    members += `${escapedKey(key)}:{\\"reports\\":${reports},\\"distinctReporters\\":${distinctReporters}}`;
  }
  return `"{${members}}"`;
}

/**
 * The jsonb[] literal of nonZeroJson of each record: what textArray writes for them, written
 * straight in its escaped form. Stringifying each record and then escaping its quotes made and
 * threw away three strings a number, the most garbage of any column of a batch.
 */
export function countsByKeyArray(records: readonly CountsByKey[]): string {
  const elements = new Array<string>(records.length);
  for (let i = 0; i < records.length; i += 1) {
    elements[i] = element(records[i]) ?? textArray([nonZeroJson(records[i])]).slice(1, -1);
  }
  return `{${elements.join(',')}}`;
}
