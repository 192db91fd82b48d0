import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  decodeStoredFingerprints,
  type ActionedCampaignAt,
  type AllowlistEntry,
  type Rule,
  type WindowReport,
} from '@abuse-monitor/domain';
import { rulesInForce } from '../aggregation/rules-in-force.repository';
import { allowlistEntries } from './allowlist.repository';

/** A half-open period of reception times, [from, to). */
export interface ReplayPeriod {
  from: Date;
  to: Date;
}

/** How many reports and numbers a period has, and the numbers reported enough to fire a rule. */
export interface NumbersInPeriod {
  reports: number;
  anonymisedReports: number;
  numbers: number;
  /** The numbers with enough weighted reports, with them: no rule fires on fewer than its threshold. */
  reachable: { reportedNumber: string; weightedReports: number }[];
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
   * One aggregate over the period (the reports' time index): its totals, and the numbers with at
   * least `leastWeighted` weighted reports, whose timelines the replay then reads (decision 0060).
   * The others are counted here, not sent: at a million reports, 414,000 numbers of which 31,000
   * could fire, and parsing them all took the API longer than the database's aggregate.
   */
  async numbersIn(period: ReplayPeriod, leastWeighted: number): Promise<NumbersInPeriod> {
    const rows: {
      reported_number: string | null;
      weighted: number | null;
      reports: number | null;
      numbers: number | null;
      anonymised: number | null;
    }[] = await this.dataSource.query(
      `WITH per_number AS (
         SELECT reported_number, count(*) AS reports, count(*) FILTER (WHERE weighted) AS weighted,
                count(*) FILTER (WHERE anonymised_at IS NOT NULL) AS anonymised
           FROM reports WHERE received_at >= $1 AND received_at < $2
          GROUP BY reported_number)
       SELECT NULL::text AS reported_number, NULL::int AS weighted, coalesce(sum(reports), 0)::int AS reports,
              count(*)::int AS numbers, coalesce(sum(anonymised), 0)::int AS anonymised
         FROM per_number
       UNION ALL
       SELECT reported_number, weighted::int, NULL, NULL, NULL FROM per_number WHERE weighted >= $3`,
      [
        period.from.toISOString(),
        period.to.toISOString(),
        // No enabled rule: nothing can fire, nothing is listed.
        Number.isFinite(leastWeighted) ? Math.max(0, Math.ceil(leastWeighted)) : 2_147_483_647,
      ],
    );
    const totals = rows.find((row) => row.reported_number === null);
    return {
      reports: totals?.reports ?? 0,
      anonymisedReports: totals?.anonymised ?? 0,
      numbers: totals?.numbers ?? 0,
      reachable: rows
        .filter((row) => row.reported_number !== null)
        .map((row) => ({
          reportedNumber: row.reported_number as string,
          weightedReports: row.weighted ?? 0,
        })),
    };
  }

  /**
   * The timelines of these numbers in the period: only what counting needs, no report text. In the
   * order the database finds them, which is mostly the order they were stored in, nearly timeline
   * order; the caller sorts by compareReports, which costs little then. No ORDER BY: with one, the
   * database read each number's reports by the (reported_number, received_at) index, a page at a
   * time, or sorted a scan; without, it takes a bitmap or sequential scan of the period, about a
   * third of the CPU for a batch of tens of thousands of numbers (bench/whatif.bench.ts).
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
        WHERE reported_number = ANY($1::text[]) AND received_at >= $2 AND received_at < $3`,
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

  /** The campaign rules in force (the latest version's definition, for the caller to validate); null when none. */
  async campaignRules(): Promise<unknown> {
    const rows: { definition: unknown }[] = await this.dataSource.query(
      `SELECT definition FROM campaign_rule_versions ORDER BY version DESC LIMIT 1`,
    );
    return rows[0]?.definition ?? null;
  }

  /**
   * The campaigns actioned now, when (actioned_at: the latest decision), and each member's stored
   * fingerprints, for the campaign view (decision 0063). A few campaigns of tens of members each.
   */
  async actionedCampaigns(): Promise<ActionedCampaignAt[]> {
    const rows: { id: string; actioned_at: Date; reported_number: string; fingerprints: string[] | null }[] =
      await this.dataSource.query(
        `SELECT c.id, c.actioned_at, m.reported_number, n.fingerprints
           FROM campaigns c
           JOIN campaign_members m ON m.campaign_id = c.id
           LEFT JOIN number_fingerprints n ON n.reported_number = m.reported_number
          WHERE c.status = 'actioned' AND c.actioned_at IS NOT NULL
          ORDER BY c.id, m.reported_number`,
      );
    const byId = new Map<string, ActionedCampaignAt & { members: ActionedCampaignAt['members'][number][] }>();
    for (const row of rows) {
      const id = String(row.id);
      let campaign = byId.get(id);
      if (campaign === undefined)
        byId.set(id, (campaign = { campaignId: id, actionedAt: row.actioned_at.getTime(), members: [] }));
      campaign.members.push({
        reportedNumber: row.reported_number,
        fingerprints: decodeStoredFingerprints(row.fingerprints),
      });
    }
    return [...byId.values()];
  }

  /**
   * Every report of these numbers in the period with its text, for the campaign view: only for
   * the numbers not flagged before a campaign was actioned, a batch at a time. Unordered, as the
   * timelines (the caller sorts).
   */
  async texts(
    numbers: readonly string[],
    period: ReplayPeriod,
  ): Promise<
    Map<
      string,
      { reportId: string; reporter: string; receivedAt: number; weighted: boolean; content: string | null }[]
    >
  > {
    const rows: {
      reported_number: string;
      report_id: string;
      reporter: string;
      received_ms: string;
      weighted: boolean;
      content: string | null;
    }[] = await this.dataSource.query(
      `SELECT reported_number, report_id, reporter, (extract(epoch FROM received_at) * 1000)::bigint AS received_ms,
              weighted, content
         FROM reports
        WHERE reported_number = ANY($1::text[]) AND received_at >= $2 AND received_at < $3`,
      [numbers, period.from.toISOString(), period.to.toISOString()],
    );
    const byNumber = new Map<
      string,
      { reportId: string; reporter: string; receivedAt: number; weighted: boolean; content: string | null }[]
    >();
    for (const row of rows) {
      let list = byNumber.get(row.reported_number);
      if (list === undefined) byNumber.set(row.reported_number, (list = []));
      list.push({
        reportId: row.report_id,
        reporter: row.reporter,
        receivedAt: Number(row.received_ms),
        weighted: row.weighted,
        content: row.content,
      });
    }
    return byNumber;
  }
}
