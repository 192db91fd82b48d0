import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AllowlistEntry, ReplayReport, Rule } from '@abuse-monitor/domain';
import { rulesInForce } from '../aggregation/rules-in-force.repository';
import { allowlistEntries } from './allowlist.repository';

/** The stored reports to replay, and how many of them retention anonymised. */
export interface ReportsToReplay {
  reports: ReplayReport[];
  anonymised: number;
}

/**
 * What the what-if tool replays: the current rules, the allowlist, the protected originators and
 * the reports received since a moment. Reads only.
 */
@Injectable()
export class ReplayRepository {
  constructor(private readonly dataSource: DataSource) {}

  rules(): Promise<Rule[]> {
    return rulesInForce(this.dataSource.manager);
  }

  allowlist(): Promise<AllowlistEntry[]> {
    return allowlistEntries(this.dataSource.manager);
  }

  /** The protected originators' numbers: their replayed flags are spoofing flags (decision 0057). */
  async protectedNumbers(): Promise<Set<string>> {
    const rows: { number: string }[] = await this.dataSource.query(
      `SELECT number FROM protected_originators`,
    );
    return new Set(rows.map((r) => r.number));
  }

  async reportsSince(since: Date): Promise<ReportsToReplay> {
    const rows: {
      report_id: string;
      reported_number: string;
      reporter: string;
      agent_id: string | null;
      kind: ReplayReport['kind'];
      category: ReplayReport['category'];
      number_type: ReplayReport['numberType'];
      received_at: Date;
      weighted: boolean;
      anonymised: boolean;
    }[] = await this.dataSource.query(
      `SELECT report_id, reported_number, reporter, agent_id, kind, category, number_type, received_at, weighted,
              anonymised_at IS NOT NULL AS anonymised
         FROM reports WHERE received_at >= $1`,
      [since.toISOString()],
    );
    const reports = rows.map((r) => ({
      reportId: r.report_id,
      reportedNumber: r.reported_number,
      reporter: r.reporter,
      agentId: r.agent_id,
      kind: r.kind,
      category: r.category,
      numberType: r.number_type,
      receivedAt: r.received_at.getTime(),
      weighted: r.weighted,
    }));
    return { reports, anonymised: rows.filter((r) => r.anonymised).length };
  }
}
