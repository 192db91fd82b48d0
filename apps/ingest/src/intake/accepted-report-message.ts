import type { ParsedReport } from '@abuse-monitor/domain';
import { AcceptedReportMessage, OutgoingRecord } from '@abuse-monitor/messaging';

/** What the number and content of a report say, whichever channel it came by. */
type ReportFacts = Pick<
  ParsedReport,
  | 'reportedNumber'
  | 'numberType'
  | 'carrier'
  | 'convertedFromLegacy'
  | 'kind'
  | 'category'
  | 'categoryKeyword'
  | 'content'
>;

type Provenance = Pick<
  AcceptedReportMessage,
  'reportId' | 'channel' | 'shortCode' | 'sourceId' | 'reporter' | 'agentId' | 'receivedAt' | 'acceptedAt'
>;

/** The reports.accepted message for a report, keyed by the reported number. */
export function acceptedReportMessage(
  topic: string,
  facts: ReportFacts,
  provenance: Provenance,
): OutgoingRecord {
  // Every field named, in one literal: built by spreading provenance, the object took 14-19 µs to
  // make and stringify (its shape left V8's fast paths), against about 3 µs this way.
  const message: AcceptedReportMessage = {
    reportId: provenance.reportId,
    channel: provenance.channel,
    shortCode: provenance.shortCode,
    sourceId: provenance.sourceId,
    reporter: provenance.reporter,
    agentId: provenance.agentId,
    receivedAt: provenance.receivedAt,
    acceptedAt: provenance.acceptedAt,
    reportedNumber: facts.reportedNumber,
    numberType: facts.numberType,
    carrier: facts.carrier,
    convertedFromLegacy: facts.convertedFromLegacy,
    kind: facts.kind,
    category: facts.category,
    categoryKeyword: facts.categoryKeyword,
    content: facts.content,
  };
  return { topic, key: facts.reportedNumber, value: JSON.stringify(message) };
}
