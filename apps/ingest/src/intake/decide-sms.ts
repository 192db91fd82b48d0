import {
  checkSmsEnvelope,
  parseReportText,
  printableText,
  replyFor,
  sanitizeText,
} from '@abuse-monitor/domain';
import {
  MAX_REJECTED_REPORTER_CHARS,
  OutboundSmsMessage,
  OutgoingRecord,
  RawSms,
  RejectedReportMessage,
  uuidFromName,
} from '@abuse-monitor/messaging';
import { acceptedReportMessage } from './accepted-report-message';
import { AcceptedLabels, IntakeOptions, REJECTED_TEXT_LIMIT } from './intake-options';
import { isoOf } from './iso-time';

export interface SmsDecision {
  outcome: 'accepted' | 'rejected';
  rejectionReason: string | null;
  reportId: string | null;
  accepted: AcceptedLabels | null;
  /** Produced in the transaction of the batch, unless the message was seen moments ago. */
  messages: OutgoingRecord[];
}

/** A rejection of an SMS, with its reporter and short code as they may be stored and shown. */
function rejectedSms(
  sms: RawSms,
  now: Date,
  why: Pick<RejectedReportMessage, 'reporter' | 'shortCode' | 'reason' | 'detail' | 'notAReportKind'>,
): RejectedReportMessage {
  return {
    sourceId: sms.messageId,
    channel: 'sms',
    ...why,
    fieldErrors: null,
    // The subscriber's text, as the parser would read it: nothing the database or a screen chokes on.
    text: sanitizeText(sms.text.slice(0, REJECTED_TEXT_LIMIT)),
    receivedAt: sms.receivedAt.toISOString(),
    rejectedAt: isoOf(now),
  };
}

/**
 * What one SMS to 156/5656 becomes: a report or a rejection, and the reply to its sender. The
 * sender is counted by its E.164 number; the reply goes to the address exactly as the gateway gave
 * it, from the short code written to. A sender that is no subscriber, or a short code not ours,
 * is rejected unanswered and its text is not read.
 */
export function decideSms(sms: RawSms, options: IntakeOptions, now: Date): SmsDecision {
  const envelope = checkSmsEnvelope(sms.from, sms.to, options.shortCodes);
  if (!envelope.ok) {
    const rejected = rejectedSms(sms, now, {
      reporter: printableText(sms.from, MAX_REJECTED_REPORTER_CHARS),
      // Not ours: never stored or shown as a short code.
      shortCode: envelope.reason === 'invalid_short_code' ? null : sms.to,
      reason: envelope.reason,
      detail: envelope.detail,
      notAReportKind: null,
    });
    return {
      outcome: 'rejected',
      rejectionReason: envelope.reason,
      reportId: null,
      accepted: null,
      messages: [{ topic: options.topics.rejected, key: rejected.reporter, value: JSON.stringify(rejected) }],
    };
  }
  const reporter = envelope.reporter.e164;
  const result = parseReportText(sms.text, {
    maxLength: options.maxReportLength,
    reporter,
  });
  const messages: OutgoingRecord[] = [];
  let decision: SmsDecision;
  if (result.ok) {
    const { report } = result;
    const reportId = uuidFromName(`sms:${sms.messageId}`);
    messages.push(
      acceptedReportMessage(options.topics.accepted, report, {
        reportId,
        channel: 'sms',
        shortCode: sms.to,
        sourceId: sms.messageId,
        reporter,
        agentId: null,
        receivedAt: sms.receivedAt.toISOString(),
        acceptedAt: isoOf(now),
      }),
    );
    const accepted = { kind: report.kind, category: report.category, carrier: report.carrier };
    decision = { outcome: 'accepted', rejectionReason: null, reportId, accepted, messages };
  } else {
    const rejected = rejectedSms(sms, now, {
      reporter,
      shortCode: sms.to,
      reason: result.reason,
      detail: result.detail,
      notAReportKind: result.reason === 'not_a_report' ? result.notAReportKind : null,
    });
    messages.push({ topic: options.topics.rejected, key: reporter, value: JSON.stringify(rejected) });
    decision = {
      outcome: 'rejected',
      rejectionReason: result.reason,
      reportId: null,
      accepted: null,
      messages,
    };
  }
  const replyText = replyFor(result);
  if (replyText !== null) {
    const reply: OutboundSmsMessage = {
      replyId: uuidFromName(`reply:${sms.messageId}`),
      to: sms.from,
      from: sms.to,
      text: replyText,
      inReplyTo: sms.messageId,
      createdAt: isoOf(now),
    };
    messages.push({ topic: options.topics.smsOutbound, key: sms.from, value: JSON.stringify(reply) });
  }
  return decision;
}
