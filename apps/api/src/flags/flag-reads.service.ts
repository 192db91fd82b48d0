import { Inject, Injectable } from '@nestjs/common';
import { allowlistEntryFor, nationalFormOf } from '@abuse-monitor/domain';
import {
  AllowlistRepository,
  CampaignsRepository,
  FlagCursor,
  FlagFilter,
  FlagSort,
  FlagsRepository,
  QueueSla,
  Transactions,
} from '@abuse-monitor/persistence';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { queueSlaOf } from './queue-sla';
import { encodeCursor } from '../http/common-schemas';
import { notFound } from '../http/problem';
import { storedDocument } from '../http/stored-values';
import { ruleDefinition, ruleDefinitionOf } from '../rules/rule-views';
import { countersOf, evidenceView, flagSummaryOf, historyOf, reportOf, sourcesOf } from './flag-views';

export const RECENT_REPORTS = 50;

/** What reviewers read: the queue a page at a time, a flag's page, and everything known of a number. */
@Injectable()
export class FlagReadsService {
  constructor(
    private readonly flags: FlagsRepository,
    private readonly allowlist: AllowlistRepository,
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly campaigns: CampaignsRepository,
    private readonly transactions: Transactions,
  ) {
    this.sla = queueSlaOf(config);
  }

  private readonly sla: QueueSla;

  async page(filter: FlagFilter, sort: FlagSort, cursor: FlagCursor | undefined, limit: number) {
    const rows = await this.flags.list(filter, sort, cursor, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => flagSummaryOf(row, this.sla)),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({
              sort,
              rank: last.rank,
              openedAt: last.opened_at.toISOString(),
              id: String(last.id),
            })
          : null,
    };
  }

  /**
   * A flag's page, read from one snapshot (see Transactions.readSnapshot): its parts, and the ETag
   * made from them, describe one committed state. The statements run one after another on one
   * connection, where they once ran side by side on several.
   */
  async detail(id: string, unmasked: boolean) {
    const read = await this.transactions.readSnapshot(async (m) => {
      const row = await this.flags.byId(id, m);
      if (!row) return null;
      return {
        row,
        counters: await this.flags.counters(row.reported_number, m),
        reports: await this.flags.recentReports(row.reported_number, RECENT_REPORTS, m),
        history: await this.flags.history(row.id, m),
        rule: await this.flags.ruleVersion(row.rule_id, row.rule_version, m),
        sources: await this.flags.sources(row.reported_number, row.counts_reports_after, m),
        campaign: await this.campaigns.ofFlag(row.id, m),
      };
    });
    if (!read) throw notFound(`flag ${id}`);
    const { row, counters, reports, history, rule, sources, campaign } = read;
    return {
      ...flagSummaryOf(row, this.sla),
      countsReportsAfter: row.counts_reports_after?.toISOString() ?? null,
      coordinationShare: row.coordination_share,
      rule: rule ? storedDocument(ruleDefinition, ruleDefinitionOf(rule)) : null,
      evidence: storedDocument(evidenceView, row.evidence ?? null),
      sources: sourcesOf(sources),
      counters: counters ? countersOf(counters) : null,
      recentReports: reports.map((r) => reportOf(r, unmasked)),
      history: history.map(historyOf),
      campaign: campaign ? { id: Number(campaign.id), status: campaign.status } : null,
    };
  }

  /** Everything known of a number, from one snapshot (see detail). */
  async subscriber(number: string, unmasked: boolean) {
    const { counters, flag, reports, allowlist, history } = await this.transactions.readSnapshot(
      async (m) => {
        const flag = await this.flags.byNumber(number, m);
        return {
          flag,
          counters: await this.flags.counters(number, m),
          reports: await this.flags.recentReports(number, RECENT_REPORTS, m),
          allowlist: await this.allowlist.entries(m),
          history: flag ? await this.flags.history(flag.id, m) : [],
        };
      },
    );
    const entry = allowlistEntryFor(number, allowlist);
    return {
      reportedNumber: number,
      nationalNumber: nationalFormOf(number),
      counters: counters ? countersOf(counters) : null,
      flag: flag ? flagSummaryOf(flag, this.sla) : null,
      flagHistory: history.map(historyOf),
      recentReports: reports.map((r) => reportOf(r, unmasked)),
      allowlisted: entry
        ? { kind: entry.kind, pattern: entry.pattern, reason: entry.reason, owner: entry.owner }
        : null,
    };
  }
}
