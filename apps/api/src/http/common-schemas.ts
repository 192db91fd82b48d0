import { z } from 'zod';
import { normalizeNumber, withoutFormatCharacters } from '@abuse-monitor/domain';

/** Shapes shared by several endpoints. */

export const MAX_PAGE_SIZE = 200;

export const pageLimit = z
  .string()
  .regex(/^\d{1,6}$/, 'expected a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE, `at most ${MAX_PAGE_SIZE} items per page`))
  .optional()
  .describe(`items per page, 1 to ${MAX_PAGE_SIZE} (default 50)`);

/**
 * The instants any date this API takes may name: nothing in this system happened before 1970 or
 * will be decided after 2999, and the bounds keep every accepted value one PostgreSQL and
 * JavaScript both read the same way (year 9999 at -14:00 is year 10000 in UTC, which they do not).
 */
export const EARLIEST_DATE = '1970-01-01';
export const LATEST_DATE = '2999-12-31';
const EARLIEST_MS = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const LATEST_MS = Date.parse(`${LATEST_DATE}T23:59:59.999Z`);
/** Nanoseconds are more than anyone measures; PostgreSQL fails on a fraction of 128 digits or more. */
const MAX_FRACTION_DIGITS = 9;

function dateTimeProblem(text: string): string | null {
  const fraction = /\.(\d+)/.exec(text);
  if (fraction && fraction[1].length > MAX_FRACTION_DIGITS)
    return `at most ${MAX_FRACTION_DIGITS} digits of a second`;
  // Real offsets stay within ±14:00 (PostgreSQL refuses past ±15:59).
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > 14 * 60) return 'a UTC offset within ±14:00';
  const at = Date.parse(text);
  if (!(at >= EARLIEST_MS && at <= LATEST_MS)) return `a moment from ${EARLIEST_DATE} to ${LATEST_DATE}`;
  return null;
}

export const isoDateTime = z.iso
  .datetime({ offset: true, message: 'expected an ISO 8601 date-time with a time zone' })
  // Piped, so a value that is no date-time at all gets one message, not two.
  .pipe(
    z.string().superRefine((text, ctx) => {
      const problem = dateTimeProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: `expected ${problem}` });
    }),
  )
  .describe(
    `ISO 8601 date-time with a time zone, e.g. 2026-11-29T08:00:00+07:00, from ${EARLIEST_DATE} to ${LATEST_DATE}`,
  );

/** A calendar day, YYYY-MM-DD, within the same bounds. */
export const isoDate = z.iso.date({ message: 'expected a date as YYYY-MM-DD' }).pipe(
  z.string().refine((day) => day >= EARLIEST_DATE && day <= LATEST_DATE, {
    message: `expected a day from ${EARLIEST_DATE} to ${LATEST_DATE}`,
  }),
);

/** Database ids (bigserial) in paths. */
export const numericId = z.string().regex(/^[1-9]\d{0,17}$/, 'expected a positive whole number');

export const uuidParam = z.uuid({ message: 'expected a UUID' });

/** A short free-text value in a filter; bounded, printable. */
export const filterText = (max = 64) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\p{L}\p{N} ._@:+-]+$/u, 'letters, digits and . _ @ : + - only');

/** A comma-separated list of allowed values: 'open,in_review'. */
export function csvOf<T extends string>(values: readonly [T, ...T[]], what: string) {
  const allowed = new Set<string>(values);
  return z
    .string()
    .max(200)
    .transform((text, ctx) => {
      const items = text.split(',').map((s) => s.trim());
      const unknown = items.filter((item) => !allowed.has(item));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown ${what} ${unknown.map((u) => JSON.stringify(u)).join(', ')}; expected ${values.join(', ')}`,
        });
        return z.NEVER;
      }
      return [...new Set(items)] as T[];
    })
    .describe(`comma-separated: ${values.join(', ')}`);
}

/** A phone number in any notation people write, normalised to E.164 like reports are. */
export const anyNotationNumber = z
  .string()
  .max(64)
  .transform((text, ctx) => {
    const normalized = normalizeNumber(text);
    if (!normalized.ok) {
      ctx.addIssue({ code: 'custom', message: `not a Vietnamese phone number (${normalized.reason})` });
      return z.NEVER;
    }
    return normalized.e164;
  });

export const e164 = z.string().regex(/^\+84\d{3,12}$/);

/** An opaque position in a sorted list; clients pass back what they were given. */
export function cursorOf<T extends z.ZodType>(shape: T) {
  return z
    .string()
    .max(512)
    .transform((text, ctx) => {
      try {
        const parsed = shape.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
        if (parsed.success) return parsed.data as z.output<T>;
      } catch {
        // falls through to the issue below
      }
      ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out' });
      return z.NEVER;
    })
    .optional()
    .describe('nextCursor of the previous page');
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * Free text a person types (a note, a reason, a rule's name): invisible format characters are
 * removed before it is checked and stored, so a pasted bidi control cannot reorder what the next
 * reader sees ("gnp.exe" shown as "exe.png"); removing is kinder than refusing what looks fine.
 */
export const typedText = (max: number, required = 'must not be empty') =>
  z.string().overwrite(withoutFormatCharacters).trim().min(1, required).max(max);

export const note = typedText(2000, 'a note is required');
