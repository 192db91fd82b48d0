import { normalizeNumber, parseReportText, replyFor } from '@abuse-monitor/domain';
import {
  OutboundSmsMessage,
  OutgoingRecord,
  RawSms,
  RejectedReportMessage,
  uuidFromName,
} from '@abuse-monitor/messaging';
import { acceptedReportMessage } from './accepted-report-message';
import { AcceptedLabels, IntakeOptions, REJECTED_TEXT_LIMIT } from './intake-options';

export interface SmsDecision {
  outcome: 'accepted' | 'rejected';
  rejectionReason: string | null;
  reportId: string | null;
  accepted: AcceptedLabels | null;
  /** Produced in the transaction of the batch, unless the message was seen moments ago. */
  messages: OutgoingRecord[];
}

/** The reporter as counted: E.164 when the gateway's address is a valid number, else as received. */
export function reporterIdentity(from: string): string {
  const normalized = normalizeNumber(from);
  return normalized.ok ? normalized.e164 : from.trim();
}

/** What one SMS to 156/5656 becomes: a report or a rejection, and the reply to its sender. */
export function decideSms(sms: RawSms, options: IntakeOptions, now: Date): SmsDecision {
  const result = parseReportText(sms.text, {
    maxLength: options.maxReportLength,
    protectedNumbers: options.protectedNumbers,
    reporter: sms.from,
  });
  const reporter = reporterIdentity(sms.from);
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
        acceptedAt: now.toISOString(),
      }),
    );
    const accepted = { kind: report.kind, category: report.category, carrier: report.carrier };
    decision = { outcome: 'accepted', rejectionReason: null, reportId, accepted, messages };
  } else {
    const rejected: RejectedReportMessage = {
      sourceId: sms.messageId,
      channel: 'sms',
      shortCode: sms.to,
      reporter,
      reason: result.reason,
      detail: result.detail,
      notAReportKind: result.reason === 'not_a_report' ? result.notAReportKind : null,
      fieldErrors: null,
      text: sms.text.slice(0, REJECTED_TEXT_LIMIT),
      receivedAt: sms.receivedAt.toISOString(),
      rejectedAt: now.toISOString(),
    };
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
      createdAt: now.toISOString(),
    };
    messages.push({ topic: options.topics.smsOutbound, key: sms.from, value: JSON.stringify(reply) });
  }
  return decision;
}
