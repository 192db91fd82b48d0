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
    if (value === null) literal += 'NULL';
    else if (QUOTE_OR_BACKSLASH.test(value)) literal += `"${value.replace(QUOTES_AND_BACKSLASHES, '\\$&')}"`;
    else literal += `"${value}"`;
  }
  return `${literal}}`;
}

/** Finite numbers only (integers, or epoch milliseconds for `to_timestamp(ms / 1000)`). */
export function numberArray(values: readonly number[]): string {
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  }
  return `{${values.join(',')}}`;
}
