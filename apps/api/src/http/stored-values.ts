import { z } from 'zod';

/**
 * Read paths show what the database holds, and the database holds more than the lists of this
 * version know: a row written by hand, by a newer version, or before a value was retired. An
 * answer must not fail for it (the response schema would turn it into a 500 and hide the whole
 * flag or subscriber), so such a value is shown as 'unknown', which every listed field allows.
 */
export const UNRECOGNISED = 'unknown';

/** A response field holding one of `values`, or 'unknown' for a stored value outside them. */
export function storedEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const shown = [...new Set<string>([...values, UNRECOGNISED])] as [T[number] | typeof UNRECOGNISED];
  return z
    .enum(shown)
    .describe(`one of ${values.join(', ')}; '${UNRECOGNISED}' for a stored value outside them`);
}

/** The stored value if it is one of `values`, else 'unknown'. */
export function recognised<const T extends string>(
  values: readonly T[],
  stored: string,
): T | typeof UNRECOGNISED {
  return (values as readonly string[]).includes(stored) ? (stored as T) : UNRECOGNISED;
}

/** As recognised, keeping null (a field that may be empty). */
export function recognisedOrNull<const T extends string>(
  values: readonly T[],
  stored: string | null,
): T | typeof UNRECOGNISED | null {
  return stored === null ? null : recognised(values, stored);
}

/**
 * A stored JSON document (a flag's evidence, a rule version) as its schema shows it, or null when
 * it does not fit: the rest of the answer still reaches the analyst.
 */
export function storedDocument<S extends z.ZodType>(schema: S, stored: unknown): z.output<S> | null {
  const parsed = schema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}
