import { z } from 'zod';
import { hasUnprintableCharacter, reportTimeProblem } from '@abuse-monitor/domain';
import { isZonedDateTime } from './message-fields';

/**
 * What the SMS gateway puts on reports.sms.raw for every message sent to 156 or 5656. Unknown
 * fields are ignored so the gateway can add some without stopping intake; wrong or missing ones
 * send the message to the dead-letter topic.
 *
 * The fields the gateway itself writes (the id and the two addresses) hold no control character
 * and no lone surrogate: a NUL there is no SMS but a broken or hostile producer, and PostgreSQL
 * would refuse it downstream. Whether an address is a number, or one of our short codes, is
 * ingest's decision (a typed rejection), not a broken message. The text is the subscriber's and
 * is sanitised by the parser: a phone may well send a NUL (GSM's '@') or half an emoji.
 */
export const MAX_RAW_TEXT_CHARS = 65_536;

const CONTROL_CHARACTER = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A field of the gateway's: trimmed, within `max` characters, none of them `refused`. */
const gatewayField = (max: number, refused: (value: string) => boolean, what: string) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !refused(value), { message: `must not contain ${what}` });

const controlOrLoneSurrogate = (value: string) => CONTROL_CHARACTER.test(value) || LONE_SURROGATE.test(value);
const NO_CONTROL = 'control characters or lone surrogates';

export const rawSmsSchema = z.object({
  // An id is shown and compared, never read: no invisible character either.
  messageId: gatewayField(200, hasUnprintableCharacter, 'control or invisible characters or lone surrogates'),
  from: gatewayField(64, controlOrLoneSurrogate, NO_CONTROL),
  to: gatewayField(32, controlOrLoneSurrogate, NO_CONTROL),
  text: z.string().max(MAX_RAW_TEXT_CHARS, `must be at most ${MAX_RAW_TEXT_CHARS} characters`),
  receivedAt: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' })
    .transform((value) => new Date(value))
    .superRefine((date, context) => {
      const problem = reportTimeProblem(date.getTime(), Date.now());
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
});

export type RawSms = z.infer<typeof rawSmsSchema>;

/** A gateway field as gatewayField() reads it (trimmed), or null where the schema may refuse it. */
function gatewayValue(value: unknown, max: number, refused: (value: string) => boolean): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= max && !refused(trimmed) ? trimmed : null;
}

/**
 * rawSmsSchema's rules written out, for ingest's every message (zod's safeParse cost more than the
 * parser). A message it passes, the schema passes, with the same value; on anything else it gives
 * up (null) and the schema decides and words the refusal. fast-paths.spec.ts holds them together.
 */
export function rawSmsFastPath(json: unknown, now = Date.now()): RawSms | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const r = json as Record<string, unknown>;
  const messageId = gatewayValue(r.messageId, 200, hasUnprintableCharacter);
  const from = gatewayValue(r.from, 64, controlOrLoneSurrogate);
  const to = gatewayValue(r.to, 32, controlOrLoneSurrogate);
  const { text, receivedAt } = r;
  if (messageId === null || from === null || to === null) return null;
  if (typeof text !== 'string' || text.length > MAX_RAW_TEXT_CHARS || !isZonedDateTime(receivedAt))
    return null;
  const time = new Date(receivedAt);
  if (reportTimeProblem(time.getTime(), now) !== null) return null;
  return { messageId, from, to, text, receivedAt: time };
}

/** unstorable: valid as a message, but the database refuses what it holds (see BatchConsumer's setAside). */
export const DEAD_LETTER_REASONS = ['empty_message', 'invalid_json', 'invalid_fields', 'unstorable'] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export type DecodeResult<T> =
  { ok: true; value: T } | { ok: false; reason: DeadLetterReason; detail: string };

/**
 * Decodes one Kafka message value; never throws. `fastPath`, given, is tried first: the schema's
 * rules written out for the common message, null when it is unsure (then the schema decides).
 */
export function decodeJsonMessage<S extends z.ZodType>(
  schema: S,
  value: Buffer | null,
  fastPath?: (json: unknown) => z.infer<S> | null,
): DecodeResult<z.infer<S>> {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty_message', detail: 'no value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'invalid_json', detail: (error as Error).message };
  }
  const fast = fastPath?.(json) ?? null;
  if (fast !== null) return { ok: true, value: fast };
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const detail = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason: 'invalid_fields', detail };
}

export const decodeRawSms = (value: Buffer | null) =>
  decodeJsonMessage(rawSmsSchema, value, (json) => rawSmsFastPath(json));
