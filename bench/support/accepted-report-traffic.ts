import { acceptedReports } from './accepted-reports';
import { BenchMessage, BenchTraffic, e164 } from './bench-traffic';

/**
 * What the ingest app puts on reports.accepted, for measuring the aggregator alone: every message
 * is a distinct report, so every one is counted.
 */
export class AcceptedReportTraffic implements BenchTraffic {
  messages = 0;
  private readonly nextReport = acceptedReports(2024);

  constructor(readonly topic: string) {}

  get acceptedReports(): number {
    return this.messages;
  }

  describe(): string {
    return `${this.messages.toLocaleString('en-US')} distinct accepted reports`;
  }

  next(at: number): BenchMessage {
    this.messages += 1;
    const report = this.nextReport(at);
    return { key: report.reportedNumber, value: JSON.stringify(report) };
  }

  report(
    reportedNational: string,
    reporterNational: string,
    at: number,
  ): BenchMessage & { reportedNumber: string } {
    this.messages += 1;
    const reportedNumber = e164(reportedNational);
    const report = {
      ...this.nextReport(at),
      reportedNumber,
      reporter: e164(reporterNational),
      kind: 'spam_call' as const,
      category: 'unknown' as const,
    };
    return { key: reportedNumber, value: JSON.stringify(report), reportedNumber };
  }
}
