import { hasUnprintableCharacter, printableText, validateSubmittedReport } from '@abuse-monitor/domain';
import {
  MAX_REJECTED_REPORTER_CHARS,
  OutgoingRecord,
  RejectedReportMessage,
  submittedReportId,
  uuidFromName,
} from '@abuse-monitor/messaging';
import { acceptedReportMessage } from './accepted-report-message';
import { AcceptedLabels, IntakeOptions } from './intake-options';
import { isoOf } from './iso-time';

export interface SubmittedSource {
  /** Where the message sits on Kafka, the identity of a submission without an idempotency key. */
  coordinates: string;
  /** The Kafka message timestamp, used when the submission does not say when it was taken. */
  brokerTime: Date;
}

export interface SubmittedDecision {
  submissionId: string;
  agentId: string | null;
  outcome: 'accepted' | 'rejected';
  rejectionReason: string | null;
  reportId: string | null;
  accepted: AcceptedLabels | null;
  messages: OutgoingRecord[];
}

const stringField = (input: unknown, field: string): string | null => {
  if (typeof input !== 'object' || input === null) return null;
  const value = (input as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
};

/**
 * What one hotline or API submission becomes. Its identity is the client's idempotency key when it
 * gave one (the same key twice is one report), otherwise its place on the topic.
 */
export function decideSubmitted(
  input: unknown,
  source: SubmittedSource,
  options: IntakeOptions,
  now: Date,
): SubmittedDecision {
  const result = validateSubmittedReport(input, {
    now,
    maxAgeMs: options.maxSubmissionAgeMs,
  });
  if (result.ok) {
    const { report } = result;
    const submissionId = report.idempotencyKey
      ? `key:${report.idempotencyKey}`
      : `kafka:${source.coordinates}`;
    const reportId = report.idempotencyKey
      ? submittedReportId(report.idempotencyKey)
      : uuidFromName(`submitted:${submissionId}`);
    const accepted = acceptedReportMessage(options.topics.accepted, report, {
      reportId,
      channel: 'hotline',
      shortCode: null,
      sourceId: submissionId,
      reporter: report.reporter,
      agentId: report.agentId,
      receivedAt: report.submittedAt ?? source.brokerTime.toISOString(),
      acceptedAt: isoOf(now),
    });
    return {
      submissionId,
      agentId: report.agentId,
      outcome: 'accepted',
      rejectionReason: null,
      reportId,
      accepted: { kind: report.kind, category: report.category, carrier: report.carrier },
      messages: [accepted],
    };
  }
  const key = stringField(input, 'idempotencyKey');
  const usableKey = key !== null && key.length <= 128 && !hasUnprintableCharacter(key);
  const submissionId = usableKey ? `key:${key}` : `kafka:${source.coordinates}`;
  // What was typed where a number should be: kept to see what went wrong, made printable.
  const reporter = printableText(stringField(input, 'reporter') ?? '', MAX_REJECTED_REPORTER_CHARS);
  const rejected: RejectedReportMessage = {
    sourceId: submissionId,
    channel: 'hotline',
    shortCode: null,
    reporter,
    reason: result.reason,
    detail: result.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '),
    notAReportKind: null,
    fieldErrors: result.fieldErrors.map((e) => ({ field: e.field, code: e.code, message: e.message })),
    text: null,
    receivedAt: source.brokerTime.toISOString(),
    rejectedAt: isoOf(now),
  };
  return {
    submissionId,
    agentId: stringField(input, 'agentId'),
    outcome: 'rejected',
    rejectionReason: result.reason,
    reportId: null,
    accepted: null,
    messages: [{ topic: options.topics.rejected, key: reporter || null, value: JSON.stringify(rejected) }],
  };
}
