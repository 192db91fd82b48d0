import type { FlagEventType } from '@abuse-monitor/domain';
import { z } from 'zod';

/**
 * The messages ingest publishes. Consumers validate them with these schemas at their edge.
 * Every message carries the id a consumer deduplicates by (reportId, sourceId, replyId), because
 * delivery is at least once.
 */

export const CHANNELS = ['sms', 'hotline'] as const;
export type Channel = (typeof CHANNELS)[number];

const reportKind = z.enum(['spam_call', 'spam_sms', 'scam_call']);

/** reports.accepted, keyed by the reported number (E.164), so one partition owns one subscriber. */
export const acceptedReportSchema = z.object({
  reportId: z.uuid(),
  channel: z.enum(CHANNELS),
  /** 156 or 5656 for SMS; null for the hotline. */
  shortCode: z.string().nullable(),
  /** The gateway's messageId, or the submission's idempotency key. */
  sourceId: z.string(),
  /** E.164 when the reporter's number is valid, else as received. */
  reporter: z.string(),
  reportedNumber: z.string().regex(/^\+84\d{3,11}$/),
  numberType: z.enum(['mobile', 'fixed_line', 'toll_free', 'premium', 'other']),
  carrier: z.string().nullable(),
  convertedFromLegacy: z.boolean(),
  kind: reportKind,
  category: z.string(),
  categoryKeyword: z.string().nullable(),
  content: z.string().nullable(),
  agentId: z.string().nullable(),
  receivedAt: z.iso.datetime({ offset: true }),
  acceptedAt: z.iso.datetime({ offset: true }),
});
export type AcceptedReportMessage = z.infer<typeof acceptedReportSchema>;

/** Longest reporter a rejection carries: whatever was typed where a number should be, cut. */
export const MAX_REJECTED_REPORTER_CHARS = 64;

/** reports.rejected, keyed by the reporter: why a message did not become a report. */
export const rejectedReportSchema = z.object({
  /** The gateway's messageId, or the hotline submission's id. */
  sourceId: z.string().min(1).max(512),
  channel: z.enum(CHANNELS),
  shortCode: z.string().max(32).nullable(),
  reporter: z.string().max(MAX_REJECTED_REPORTER_CHARS),
  reason: z.string().regex(/^[a-z_]{1,64}$/),
  detail: z.string(),
  notAReportKind: z.string().nullable(),
  fieldErrors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).nullable(),
  /** The text as received, cut to 500 characters. */
  text: z.string().nullable(),
  receivedAt: z.iso.datetime({ offset: true }),
  rejectedAt: z.iso.datetime({ offset: true }),
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

/** subscriber.flags, keyed by the reported number: one change of a flag, for provisioning and BSS. */
export interface FlagEventMessage {
  /** Unique per change ('flag:+84912345678:3'); consumers drop repeats by it. */
  eventId: string;
  type: FlagEventType;
  reportedNumber: string;
  sequence: number;
  occurredAt: string;
  status: string;
  severity: string;
  ruleId: string;
  ruleVersion: number;
  recommendedAction: string;
  takenAction: string | null;
  possiblyCoordinated: boolean;
  actor: string;
  note: string | null;
  evidence: unknown;
}
