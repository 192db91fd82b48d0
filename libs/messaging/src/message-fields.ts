import { z } from 'zod';
import { reportTimeProblem } from '@abuse-monitor/domain';

/**
 * Field shapes the topic schemas share. Each topic is hostile input to the service that reads it
 * (the broker authenticates nobody), so every string has a length and a character set, and every
 * time a plausible range: what the database would refuse, or keep for ever, stops here as a
 * dead letter instead of failing a batch.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex -- tab, line feed and carriage return are text
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/**
 * Invisible format characters (bidi controls, zero-width spaces): an id or a number holding one
 * looks like another ("156" that reads as "651"), so no producer of ours writes one there.
 */
const FORMAT_CHARACTER = /\p{Cf}/u;
/** Half a surrogate pair: not UTF-8, and jsonb refuses it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** An identifier, a number or a name: one line, no control or format character, well-formed. */
export const singleLine = (max: number, min = 1) =>
  z
    .string()
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((text) => !ANY_CONTROL.test(text), 'must not hold control characters')
    .refine((text) => !FORMAT_CHARACTER.test(text), 'must not hold invisible format characters')
    .refine((text) => !LONE_SURROGATE.test(text), 'must not hold unpaired surrogates');

/**
 * Free text, which may run over lines: no other control character (PostgreSQL stores no NUL).
 * Format characters pass (an older producer kept them): consumers strip them before storing.
 */
export const multiLine = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((text) => !CONTROL_BUT_LINE_BREAKS.test(text), 'must not hold control characters')
    .refine((text) => !LONE_SURROGATE.test(text), 'must not hold unpaired surrogates');

/** A short code people send reports to (156, 5656): digits only, as configured at ingest. */
const SHORT_CODE = /^[0-9]{2,8}$/;
export const shortCodeDigits = z.string().regex(SHORT_CODE, 'must be a short code of 2 to 8 digits');

/**
 * When something happened: an ISO 8601 time with its zone, from 2000 to a day ahead of this
 * server's clock (the rule raw SMS are held to). A year-9999 report would never leave retention.
 */
const EVENT_TIME = z.regexes.datetime({ offset: true });
export const eventTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' })
  .superRefine((text, context) => {
    const problem = reportTimeProblem(Date.parse(text), Date.now());
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/*
 * The same rules as predicates, for the decoders' fast paths (decodeJsonMessage): a message they
 * pass is one the schema passes too, without zod's cost per field; anything else goes through the
 * schema, which words the refusal. fast-paths.spec.ts holds them to the schemas.
 */

/** singleLine(max, min)'s rules. */
export const isSingleLine = (text: unknown, max: number, min = 1): text is string =>
  typeof text === 'string' &&
  text.length >= min &&
  text.length <= max &&
  !ANY_CONTROL.test(text) &&
  !FORMAT_CHARACTER.test(text) &&
  !LONE_SURROGATE.test(text);

/** multiLine(max)'s rules. */
export const isMultiLine = (text: unknown, max: number): text is string =>
  typeof text === 'string' &&
  text.length <= max &&
  !CONTROL_BUT_LINE_BREAKS.test(text) &&
  !LONE_SURROGATE.test(text);

/** shortCodeDigits' rule. */
export const isShortCode = (text: unknown): text is string =>
  typeof text === 'string' && SHORT_CODE.test(text);

/** eventTime's rules, against the clock at `now`. */
export const isEventTime = (text: unknown, now: number): text is string =>
  typeof text === 'string' && EVENT_TIME.test(text) && reportTimeProblem(Date.parse(text), now) === null;

/** The iso datetime with a zone that zod's z.iso.datetime({ offset: true }) takes. */
export const isZonedDateTime = (text: unknown): text is string =>
  typeof text === 'string' && EVENT_TIME.test(text);
