import {
  reporterNumber,
  CARRIERS,
  CATEGORIES,
  FLAG_EVENT_TYPES,
  FLAG_KINDS,
  FLAG_RECOMMENDATIONS,
  FLAG_STATUSES,
  flagEventId,
  MAX_AGENT_ID_LENGTH,
  MAX_RULE_ID_LENGTH,
  normalizeNumber,
  NUMBER_TYPES,
  REPORT_KINDS,
  SEVERITIES,
  TAKEN_ACTIONS,
  uncountableNumberProblem,
  type FlagEvent,
} from '@abuse-monitor/domain';
import { z } from 'zod';
import {
  eventTime,
  isEventTime,
  isMultiLine,
  isShortCode,
  isSingleLine,
  multiLine,
  shortCodeDigits,
  singleLine,
} from './message-fields';
import { MAX_RAW_TEXT_CHARS } from './raw-sms.schema';

/**
 * The messages ingest publishes. Consumers validate them with these schemas at their edge: the
 * broker authenticates nobody, so anything on a topic may be forged. Values are held to what
 * ingest can produce (known enums, bounded lengths, plausible times); fields a schema does not
 * name are dropped, not refused, so that a newer producer can add one without stopping an older
 * consumer. Every message carries the id a consumer deduplicates by (reportId, sourceId, replyId),
 * because delivery is at least once.
 */

export const CHANNELS = ['sms', 'hotline'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Longest reporter a message carries: a number in any notation, or what was typed instead, cut. */
export const MAX_REPORTER_CHARS = 64;
/** Longest rejection carries this: whatever was typed where a number should be, cut. */
export const MAX_REJECTED_REPORTER_CHARS = MAX_REPORTER_CHARS;
/** A gateway messageId (200) or a hotline submission id ('key:' + agent + ':' + key), with room. */
export const MAX_SOURCE_ID_CHARS = 512;
/** Category keywords are short phrases ('cong an phuong'). */
export const MAX_CATEGORY_KEYWORD_CHARS = 100;
/** What ingest keeps of a rejected text, and of the detail of a rejection. */
export const MAX_REJECTED_TEXT_CHARS = 500;
export const MAX_REJECTION_DETAIL_CHARS = 2_000;
/** The API takes notes up to 2,000 characters. */
export const MAX_FLAG_NOTE_CHARS = 2_000;

const E164_VN = /^\+84\d{3,11}$/;
const reportedNumber = z
  .string()
  .max(32)
  .regex(E164_VN, 'must be a Vietnamese number in E.164 (+84...)')
  .superRefine((number, context) => {
    const problem = uncountableNumberProblem(number);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** reports.accepted, keyed by the reported number (E.164), so one partition owns one subscriber. */
export const acceptedReportSchema = z
  .object({
    reportId: z.uuid(),
    channel: z.enum(CHANNELS),
    /** 156 or 5656 for SMS; null for the hotline. */
    shortCode: shortCodeDigits.nullable(),
    /** The gateway's messageId, or the submission's idempotency key. */
    sourceId: singleLine(MAX_SOURCE_ID_CHARS),
    /** The reporter's subscriber number in E.164: ingest rejects anyone else (decision 0026). */
    reporter: singleLine(MAX_REPORTER_CHARS),
    /** A number counters may key on: never an emergency or reporting short code. */
    reportedNumber,
    numberType: z.enum(NUMBER_TYPES),
    carrier: z.enum(CARRIERS).nullable(),
    convertedFromLegacy: z.boolean(),
    kind: z.enum(REPORT_KINDS),
    category: z.enum(CATEGORIES),
    categoryKeyword: singleLine(MAX_CATEGORY_KEYWORD_CHARS).nullable(),
    /** Part of an SMS text, or a hotline description: never longer than a raw SMS may be. */
    content: multiLine(MAX_RAW_TEXT_CHARS).nullable(),
    agentId: singleLine(MAX_AGENT_ID_LENGTH).nullable(),
    receivedAt: eventTime,
    acceptedAt: eventTime,
  })
  // Rules select by number type, and counters and the queue show the carrier: both follow from
  // the number, so a record that says otherwise was not written by ingest.
  .superRefine((r, context) => {
    const facts = normalizeNumber(r.reportedNumber);
    if (!facts.ok) return; // reportedNumber has said why
    if (facts.numberType !== r.numberType)
      context.addIssue({
        code: 'custom',
        path: ['numberType'],
        message: 'does not match the reported number',
      });
    if (facts.carrier !== r.carrier)
      context.addIssue({ code: 'custom', path: ['carrier'], message: 'does not match the reported number' });
  })
  // A reporter in another form, or nobody's number, would count one sender as several reporters.
  .superRefine((r, context) => {
    const reporter = reporterNumber(r.reporter);
    if (!reporter.ok || reporter.number.e164 !== r.reporter)
      context.addIssue({
        code: 'custom',
        path: ['reporter'],
        message: 'must be a Vietnamese subscriber number in E.164',
      });
  })
  // A hotline report without its agent would escape every per-agent limit; an SMS with one is forged.
  .refine((r) => (r.channel === 'hotline') === (r.agentId !== null), {
    path: ['agentId'],
    message: 'must be given for a hotline report and only for one',
  })
  .refine((r) => (r.channel === 'sms') === (r.shortCode !== null), {
    path: ['shortCode'],
    message: 'must be given for an SMS report and only for one',
  });
export type AcceptedReportMessage = z.infer<typeof acceptedReportSchema>;

const UUID = z.regexes.uuid();
const NUMBER_TYPE_SET: ReadonlySet<unknown> = new Set(NUMBER_TYPES);
const CARRIER_SET: ReadonlySet<unknown> = new Set(CARRIERS);
const REPORT_KIND_SET: ReadonlySet<unknown> = new Set(REPORT_KINDS);
const CATEGORY_SET: ReadonlySet<unknown> = new Set(CATEGORIES);

/**
 * acceptedReportSchema's rules written out, for the aggregator's every message: zod's safeParse
 * took a tenth of its CPU. A record it passes, the schema passes, with the same value (the
 * fields the schema names); on anything else it gives up (null) and the schema decides and words
 * the refusal. fast-paths.spec.ts holds the two together.
 */
export function acceptedReportFastPath(json: unknown, now = Date.now()): AcceptedReportMessage | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const r = json as Record<string, unknown>;
  const { reportId, channel, shortCode, sourceId, reporter, reportedNumber, numberType, carrier } = r;
  const { convertedFromLegacy, kind, category, categoryKeyword, content, agentId, receivedAt, acceptedAt } =
    r;
  if (typeof reportId !== 'string' || !UUID.test(reportId)) return null;
  if (channel === 'sms') {
    if (!isShortCode(shortCode) || agentId !== null) return null;
  } else if (channel === 'hotline') {
    if (shortCode !== null || !isSingleLine(agentId, MAX_AGENT_ID_LENGTH)) return null;
  } else return null;
  if (!isSingleLine(sourceId, MAX_SOURCE_ID_CHARS) || !isSingleLine(reporter, MAX_REPORTER_CHARS))
    return null;
  if (typeof reportedNumber !== 'string' || reportedNumber.length > 32 || !E164_VN.test(reportedNumber))
    return null;
  if (!NUMBER_TYPE_SET.has(numberType) || (carrier !== null && !CARRIER_SET.has(carrier))) return null;
  if (typeof convertedFromLegacy !== 'boolean') return null;
  if (!REPORT_KIND_SET.has(kind) || !CATEGORY_SET.has(category)) return null;
  if (categoryKeyword !== null && !isSingleLine(categoryKeyword, MAX_CATEGORY_KEYWORD_CHARS)) return null;
  if (content !== null && !isMultiLine(content, MAX_RAW_TEXT_CHARS)) return null;
  if (!isEventTime(receivedAt, now) || !isEventTime(acceptedAt, now)) return null;
  // The schema's refinements: what the number and the reporter say of themselves. One reading of
  // the number serves both: uncountableNumberProblem is null for a valid number written as its e164.
  const facts = normalizeNumber(reportedNumber);
  if (!facts.ok || facts.e164 !== reportedNumber) return null;
  if (facts.numberType !== numberType || facts.carrier !== carrier) return null;
  const sender = reporterNumber(reporter);
  if (!sender.ok || sender.number.e164 !== reporter) return null;
  return {
    reportId,
    channel,
    shortCode,
    sourceId,
    reporter,
    reportedNumber,
    numberType: numberType as AcceptedReportMessage['numberType'],
    carrier: carrier as AcceptedReportMessage['carrier'],
    convertedFromLegacy,
    kind: kind as AcceptedReportMessage['kind'],
    category: category as AcceptedReportMessage['category'],
    categoryKeyword,
    content,
    agentId,
    receivedAt,
    acceptedAt,
  };
}

/** reports.rejected, keyed by the reporter: why a message did not become a report. */
export const rejectedReportSchema = z.object({
  /** The gateway's messageId, or the hotline submission's id. */
  sourceId: singleLine(MAX_SOURCE_ID_CHARS),
  channel: z.enum(CHANNELS),
  shortCode: shortCodeDigits.nullable(),
  /** As typed, so it may hold anything; the sink makes it printable before storing it. */
  reporter: z.string().max(MAX_REJECTED_REPORTER_CHARS),
  reason: z.string().regex(/^[a-z_]{1,64}$/),
  detail: z.string().max(MAX_REJECTION_DETAIL_CHARS),
  notAReportKind: z
    .string()
    .regex(/^[a-z_]{1,64}$/)
    .nullable(),
  fieldErrors: z
    .array(
      z.object({
        field: z.string().max(64),
        code: z.string().max(64),
        message: z.string().max(MAX_REJECTION_DETAIL_CHARS),
      }),
    )
    .max(32)
    .nullable(),
  /** The text as received, cut to 500 characters. */
  text: z.string().max(MAX_REJECTED_TEXT_CHARS).nullable(),
  receivedAt: eventTime,
  rejectedAt: eventTime,
});
export type RejectedReportMessage = z.infer<typeof rejectedReportSchema>;

/** sms.outbound, keyed by the recipient: a reply for the SMS gateway to send. */
export interface OutboundSmsMessage {
  /** Derived from the message replied to, so the gateway can drop a repeat. */
  replyId: string;
  /** The reporter's address exactly as the gateway gave it. */
  to: string;
  /** The short code the reporter wrote to. */
  from: string;
  text: string;
  inReplyTo: string;
  createdAt: string;
}

/** What a flag event says of the rule that fired; newer fields (sources, caps) pass through. */
const flagEvidenceSchema = z.looseObject({
  ruleId: singleLine(MAX_RULE_ID_LENGTH),
  ruleVersion: z.number().int().positive(),
  measured: z.number().int().min(0),
  threshold: z.number().int().min(0),
  counts: z.looseObject({ at: z.number().int() }),
  reportIds: z.array(singleLine(64)).max(1_000),
  reportsBehind: z.number().int().min(0),
});

/**
 * subscriber.flags, keyed by the reported number: one change of a flag, for provisioning and BSS.
 * None of our services reads it; this is the contract those that do can hold us to, and what we
 * publish is checked against it.
 */
export const flagEventSchema = z
  .object({
    /** Unique per change ('flag:+84912345678:3'); consumers drop repeats by it. */
    eventId: singleLine(64),
    type: z.enum(FLAG_EVENT_TYPES),
    reportedNumber: z.string().regex(/^\+84\d{3,11}$/, 'must be a Vietnamese number in E.164 (+84...)'),
    sequence: z.number().int().positive(),
    occurredAt: eventTime,
    /**
     * 'spoofing': the number is a protected originator whose caller ID is probably spoofed; never
     * block it (decision 0057). Events published before it carry none and were all 'abuse'.
     */
    kind: z.enum(FLAG_KINDS).default('abuse'),
    status: z.enum(FLAG_STATUSES),
    severity: z.enum(SEVERITIES),
    ruleId: singleLine(MAX_RULE_ID_LENGTH),
    ruleVersion: z.number().int().positive(),
    recommendedAction: z.enum(FLAG_RECOMMENDATIONS),
    takenAction: z.enum(TAKEN_ACTIONS).nullable(),
    possiblyCoordinated: z.boolean(),
    /** The token name of the person, or 'rules' / 'scheduler'. */
    actor: singleLine(128),
    note: z.string().max(MAX_FLAG_NOTE_CHARS).nullable(),
    evidence: flagEvidenceSchema.nullable(),
    /** The campaign behind the change (a decision on the campaign, its next SIM); absent otherwise. */
    campaignId: z
      .string()
      .regex(/^[1-9][0-9]{0,18}$/)
      .nullable()
      .optional(),
    /** On a 'lifted' event (decision 0065): the action to undo. Absent on every other event. */
    liftedAction: z.enum(TAKEN_ACTIONS).nullable().optional(),
  })
  .refine((e) => e.eventId === flagEventId(e.reportedNumber, e.sequence), {
    path: ['eventId'],
    message: 'must be flag:<reportedNumber>:<sequence>',
  });

/** As published; its shape is flagEventSchema's, its types the domain's. */
export type FlagEventMessage = Omit<FlagEvent, 'at'> & { occurredAt: string };
