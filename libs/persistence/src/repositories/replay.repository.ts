import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AllowlistEntry, Rule, WindowReport } from '@abuse-monitor/domain';
import { rulesInForce } from '../aggregation/rules-in-force.repository';
import { allowlistEntries } from './allowlist.repository';

/** A half-open period of reception times, [from, to). */
export interface ReplayPeriod {
  from: Date;
  to: Date;
}

/** Every number reported in a period, with how many of its reports could count towards a rule. */
export interface NumbersInPeriod {
  reports: number;
  anonymisedReports: number;
  /** Each reported number with its weighted reports: no rule fires on fewer than its threshold. */
  numbers: { reportedNumber: string; weightedReports: number }[];
}

/**
 * What a what-if replays (the CLI and the API's preview): the current rules, the allowlist, the
 * protected originators, and the reports of a period, number by number. Reads only.
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

  /**
   * One aggregate over the period (the reports' time index): the replay then reads the timelines
   * of only the numbers that could reach a threshold (decision 0060).
   */
  async numbersIn(period: ReplayPeriod): Promise<NumbersInPeriod> {
    const rows: { reported_number: string; reports: number; weighted: number; anonymised: number }[] =
      await this.dataSource.query(
        `SELECT reported_number, count(*)::int AS reports, count(*) FILTER (WHERE weighted)::int AS weighted,
                count(*) FILTER (WHERE anonymised_at IS NOT NULL)::int AS anonymised
           FROM reports WHERE received_at >= $1 AND received_at < $2
          GROUP BY reported_number`,
        [period.from.toISOString(), period.to.toISOString()],
      );
    let reports = 0;
    let anonymisedReports = 0;
    const numbers = rows.map((row) => {
      reports += row.reports;
      anonymisedReports += row.anonymised;
      return { reportedNumber: row.reported_number, weightedReports: row.weighted };
    });
    return { reports, anonymisedReports, numbers };
  }

  /**
   * The timelines of these numbers in the period, by the (reported_number, received_at) index:
   * only what counting needs, no report text. Nearly in timeline order (the database sorts
   * microseconds and its collation); the caller sorts by compareReports, which costs little then.
   */
  async timelines(numbers: readonly string[], period: ReplayPeriod): Promise<Map<string, WindowReport[]>> {
    const rows: {
      reported_number: string;
      report_id: string;
      reporter: string;
      agent_id: string | null;
      kind: WindowReport['kind'];
      category: WindowReport['category'];
      number_type: WindowReport['numberType'];
      received_ms: string;
      weighted: boolean;
    }[] = await this.dataSource.query(
      `SELECT reported_number, report_id, reporter, agent_id, kind, category, number_type,
              (extract(epoch FROM received_at) * 1000)::bigint AS received_ms, weighted
         FROM reports
        WHERE reported_number = ANY($1::text[]) AND received_at >= $2 AND received_at < $3
        ORDER BY reported_number, received_at`,
      [numbers, period.from.toISOString(), period.to.toISOString()],
    );
    const byNumber = new Map<string, WindowReport[]>();
    for (const row of rows) {
      let timeline = byNumber.get(row.reported_number);
      if (timeline === undefined) byNumber.set(row.reported_number, (timeline = []));
      timeline.push({
        reportId: row.report_id,
        reporter: row.reporter,
        agentId: row.agent_id,
        kind: row.kind,
        category: row.category,
        numberType: row.number_type,
        receivedAt: Number(row.received_ms),
        weighted: row.weighted,
      });
    }
    return byNumber;
  }
}
