/**
 * PostgreSQL array literals for the parameters of bulk statements. pg writes the same text for
 * a JavaScript array, but runs two regular-expression replacements on every element; a batch of
 * a thousand reports sends tens of thousands of elements, and the aggregator spent more time
 * there than in any of its own code.
 */

/** Text that needs no escape inside double quotes: most of a batch (numbers, ids, enum values). */
const plain = (value: string) => value.indexOf('"') === -1 && value.indexOf('\\') === -1;

/** Backslashes first, so that the ones escaping quotes are not doubled. */
const quoted = (value: string) =>
  plain(value) ? `"${value}"` : `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** Every element quoted (so that "NULL", "" and spaces stay text); null stays SQL NULL. */
export function textArray(values: readonly (string | null)[]): string {
  if (values.length === 0) return '{}';
  let allPlain = true;
  for (let i = 0; i < values.length && allPlain; i += 1) {
    const value = values[i];
    allPlain = value !== null && value !== undefined && plain(value);
  }
  // One join copies every element once into a flat string; appending element by element builds
  // a rope of thousands of pieces that pg then flattens, and the garbage of both.
  if (allPlain) return `{"${values.join('","')}"}`;
  const elements = new Array<string>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    elements[i] = value === null || value === undefined ? 'NULL' : quoted(value);
  }
  return `{${elements.join(',')}}`;
}

/** Finite numbers only: counts, or epoch milliseconds for `timestampFromEpochMs`. */
export function numberArray(values: readonly number[]): string {
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  }
  return `{${values.join(',')}}`;
}

/**
 * SQL turning a bigint of epoch milliseconds into a timestamptz, exactly: `to_timestamp(ms / 1000.0)`
 * goes through a float and is off by microseconds for times far from today, which a client may
 * send (read back, such a time would lose a millisecond).
 */
export function timestampFromEpochMs(column: string): string {
  return `(to_timestamp(${column} / 1000) + (${column} % 1000) * interval '1 millisecond')`;
}
