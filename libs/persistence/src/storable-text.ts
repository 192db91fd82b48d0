/**
 * PostgreSQL stores neither NUL in text nor unpaired surrogates in jsonb. Raw input is kept as
 * close to what was sent as the database allows: those characters become U+FFFD, nothing else
 * changes. Without this, one such message would fail its batch on every retry.
 */
export function storableText(text: string): string {
  // Nearly every text is storable as it is: checked without making a copy or running a regex.
  if (text.indexOf('\u0000') === -1 && text.isWellFormed()) return text;
  // eslint-disable-next-line no-control-regex -- NUL is exactly what must go
  return text.toWellFormed().replace(/\u0000/g, '\uFFFD');
}

/** storableText applied to every string inside a JSON-like value. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [storableText(k), storableJson(v)]),
    );
  }
  return value;
}
