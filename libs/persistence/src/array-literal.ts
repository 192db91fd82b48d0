/**
 * PostgreSQL array literals for the parameters of bulk statements. pg writes the same text for
 * a JavaScript array, but runs two regular-expression replacements on every element; a batch of
 * a thousand reports sends tens of thousands of elements, and the aggregator spent more time
 * there than in any of its own code.
 */
const QUOTE_OR_BACKSLASH = /["\\]/;
const QUOTES_AND_BACKSLASHES = /["\\]/g;

/** Every element quoted (so that "NULL", "" and spaces stay text); null stays SQL NULL. */
export function textArray(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) literal += ',';
    const value = values[i];
    if (value === null || value === undefined) literal += 'NULL';
    else if (QUOTE_OR_BACKSLASH.test(value)) literal += `"${value.replace(QUOTES_AND_BACKSLASHES, '\\$&')}"`;
    else literal += `"${value}"`;
  }
  return `${literal}}`;
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
