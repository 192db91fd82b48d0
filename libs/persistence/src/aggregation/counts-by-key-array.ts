import type { KindOrCategoryCount } from '@abuse-monitor/domain';

type CountsByKey = Readonly<Record<string, KindOrCategoryCount>>;

/** Each key as JSON; the keys are the kinds and categories, a few dozen. */
const jsonKeys = new Map<string, string>();

function jsonKey(key: string): string {
  let json = jsonKeys.get(key);
  if (json === undefined) {
    json = JSON.stringify(key);
    jsonKeys.set(key, json);
  }
  return json;
}

/** Kinds and categories with no report are left out: most numbers have one of each. */
export function nonZeroJson(byKey: CountsByKey): string {
  const kept: Record<string, KindOrCategoryCount> = {};
  for (const key in byKey) if (byKey[key].reports > 0) kept[key] = byKey[key];
  return JSON.stringify(kept);
}

/** nonZeroJson of a record, or null when a count is not a plain integer (JSON.stringify's to write). */
function json(byKey: CountsByKey): string | null {
  let members = '';
  for (const key in byKey) {
    const { reports, distinctReporters } = byKey[key];
    if (!Number.isSafeInteger(reports) || !Number.isSafeInteger(distinctReporters)) return null;
    if (reports <= 0) continue;
    if (members !== '') members += ',';
    members += `${jsonKey(key)}:{"reports":${reports},"distinctReporters":${distinctReporters}}`;
  }
  return `{${members}}`;
}

/**
 * nonZeroJson of each record, for a jsonb[] parameter, written straight from the counts: building
 * an object for JSON.stringify to walk made and threw away an object and a string a number.
 */
export function countsByKeyJson(records: readonly CountsByKey[]): string[] {
  const elements = new Array<string>(records.length);
  for (let i = 0; i < records.length; i += 1) elements[i] = json(records[i]) ?? nonZeroJson(records[i]);
  return elements;
}
