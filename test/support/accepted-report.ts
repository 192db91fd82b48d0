import { randomUUID } from 'node:crypto';
import { Message } from 'kafkajs';
import { normalizeNumber } from '@abuse-monitor/domain';
import { AcceptedReportMessage } from '@abuse-monitor/messaging';

export const T0 = Date.parse('2026-11-20T08:00:00Z');

/** An accepted report as ingest publishes it, keyed by the reported number. */
export function acceptedReport(
  reportedNumber: string,
  reporter: string,
  minutesAfterT0: number,
  overrides: Partial<AcceptedReportMessage> = {},
): AcceptedReportMessage {
  const at = new Date(T0 + minutesAfterT0 * 60_000).toISOString();
  // The number's type and carrier, as ingest derives them (a number it would refuse keeps a guess).
  const facts = normalizeNumber(reportedNumber);
  return {
    reportId: randomUUID(),
    channel: 'sms',
    shortCode: '156',
    sourceId: randomUUID(),
    reporter,
    reportedNumber,
    numberType: facts.ok ? facts.numberType : 'mobile',
    carrier: facts.ok ? facts.carrier : 'viettel',
    convertedFromLegacy: false,
    kind: 'spam_call',
    category: 'unknown',
    categoryKeyword: null,
    content: null,
    agentId: null,
    receivedAt: at,
    acceptedAt: at,
    ...overrides,
  };
}

export const asMessage = (report: AcceptedReportMessage): Message => ({
  key: report.reportedNumber,
  value: JSON.stringify(report),
});

/** Distinct, valid-looking reporter numbers. */
export const reporterNumber = (i: number) => `+8491${String(1_000_000 + i).padStart(7, '0')}`;
