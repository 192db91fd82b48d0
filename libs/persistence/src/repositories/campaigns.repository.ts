import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CampaignStatus, Category, NumberType, ReportKind, Severity } from '@abuse-monitor/domain';
import { textArray } from '../array-literal';
import { lockedRows } from '../aggregation/locked-rows';
import type { FlagRow } from './flag-rows';

/** Flag statuses whose numbers the grouping looks at: a number judged harmless or gone quiet is not grouped. */
export const GROUPED_FLAG_STATUSES = ['open', 'in_review', 'watched', 'actioned'] as const;

export interface CampaignRow {
  id: string;
  status: CampaignStatus;
  severity: Severity;
  severity_reason: string;
  version: number;
  rules_version: number;
  member_count: number;
  distinct_reporters: number;
  carriers: string[];
  first_seen_at: Date;
  last_seen_at: Date;
  fingerprints: string[];
  assignee: string | null;
  taken_action: string | null;
  merged_into: string | null;
  opened_at: Date;
  actioned_at: Date | null;
  updated_at: Date;
}

export interface CampaignMemberRow {
  reported_number: string;
  campaign_id: string;
  flag_id: string;
  evidence: Record<string, unknown>;
  joined_at: Date;
  joined_by: string;
  flag_status: string;
  flag_severity: Severity;
  flag_sequence: number;
}

export interface CampaignHistoryRow {
  campaign_id: string;
  sequence: number;
  change: string;
  from_status: string | null;
  to_status: string;
  actor: string;
  note: string | null;
  details: Record<string, unknown>;
  event_id: string | null;
  occurred_at: Date;
}

export type CampaignHistoryToAppend = Omit<CampaignHistoryRow, 'occurred_at'> & { occurred_at: number };

export interface CampaignOverrideRow {
  kind: 'merge' | 'split' | 'remove_member';
  numbers: string[];
  other_numbers: string[];
  campaign_id: string;
  decided_by: string;
  decided_at: Date;
}

/** What a grouping run writes of a campaign it found. */
export interface CampaignSummaryToSave {
  severity: Severity;
  severityReason: string;
  rulesVersion: number;
  memberCount: number;
  distinctReporters: number;
  carriers: readonly string[];
  firstSeenAt: number;
  lastSeenAt: number;
  fingerprints: readonly string[];
}

export interface MemberToSave {
  reportedNumber: string;
  campaignId: string;
  flagId: string;
  evidence: unknown;
  joinedAt: number;
  joinedBy: string;
}

/** A flagged number as campaign detection reads it. */
export interface NumberEvidenceRow {
  reported_number: string;
  flag_id: string;
  flag_status: string;
  severity: Severity;
  carrier: string | null;
  fingerprints: string[] | null;
  reporters: string[];
  times: number[];
}

export interface ReportTextRow {
  report_id: string;
  reported_number: string;
  reporter: string;
  agent_id: string | null;
  kind: ReportKind;
  category: Category;
  number_type: NumberType;
  received_at: Date;
  weighted: boolean;
  content: string | null;
}

export interface CampaignFilter {
  status?: readonly CampaignStatus[];
  severity?: readonly Severity[];
  carrier?: string;
}

export const CAMPAIGN_SORTS = ['newest', 'severity', 'largest'] as const;
export type CampaignSort = (typeof CAMPAIGN_SORTS)[number];

/** Where the previous page ended, in the sort's own key. */
export interface CampaignCursor {
  id: string;
  lastSeenAt: string;
  rank: number;
  members: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const RANK = `CASE c.severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;

/**
 * Campaigns (decision 0054): the grouping job's reads and writes, and the API's. Writes of many
 * rows are one statement from unnest arrays; reads of many numbers are one index lookup per number.
 */
@Injectable()
export class CampaignsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // -------------------------------------------------------------------------------------------
  // Rules and the grouping's progress

  /** The latest campaign rules version, as stored (the caller validates it). */
  async currentRules(manager: EntityManager): Promise<{ version: number; definition: unknown } | null> {
    const rows: { version: number; definition: unknown }[] = await manager.query(
      `SELECT version, definition FROM campaign_rule_versions ORDER BY version DESC LIMIT 1`,
    );
    return rows[0] ?? null;
  }

  /** Every version of the campaign rules, newest first, with who made it. */
  rulesVersions(
    manager: EntityManager,
  ): Promise<{ version: number; definition: unknown; created_at: Date; created_by: string }[]> {
    return manager.query(
      `SELECT version, definition, created_at, created_by FROM campaign_rule_versions ORDER BY version DESC`,
    );
  }

  /**
   * Adds a version; false when that version exists already (someone else's edit won the race):
   * versions are never rewritten, so the one a campaign names stays readable.
   */
  async addRulesVersion(
    manager: EntityManager,
    version: number,
    definition: unknown,
    by: string,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO campaign_rule_versions (version, definition, created_by) VALUES ($1, $2, $3)
       ON CONFLICT (version) DO NOTHING RETURNING version`,
      [version, JSON.stringify(definition), by],
    );
    return rows.length === 1;
  }

  /** Where the grouping got to; locked, so two runs never interleave their writes. */
  async groupingState(
    manager: EntityManager,
  ): Promise<{ groupedThrough: Date; rulesVersion: number } | null> {
    const rows: { grouped_through: Date; rules_version: number }[] = await manager.query(
      `SELECT grouped_through, rules_version FROM campaign_grouping WHERE id = 1 FOR UPDATE`,
    );
    const row = rows[0];
    return row ? { groupedThrough: row.grouped_through, rulesVersion: row.rules_version } : null;
  }

  async saveGroupingState(manager: EntityManager, groupedThrough: Date, rulesVersion: number): Promise<void> {
    await manager.query(
      `INSERT INTO campaign_grouping (id, grouped_through, rules_version) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET grouped_through = EXCLUDED.grouped_through, rules_version = EXCLUDED.rules_version`,
      [groupedThrough.toISOString(), rulesVersion],
    );
  }

  // -------------------------------------------------------------------------------------------
  // What changed since the last run

  /**
   * Flagged numbers (in a grouped status) whose flag changed or that got a report since `since`,
   * at most `limit`, in number order after `afterNumber` (a run walks them in pages).
   */
  changedFlaggedNumbers(
    manager: EntityManager,
    since: Date,
    afterNumber: string,
    limit: number,
  ): Promise<{ reported_number: string }[]> {
    return manager.query(
      `SELECT reported_number FROM (
         SELECT f.reported_number FROM flags f
          WHERE f.updated_at > $1 AND f.status = ANY($2::text[])
         UNION
         SELECT f.reported_number
           FROM (SELECT DISTINCT reported_number FROM reports WHERE received_at > $1) r
           JOIN flags f ON f.reported_number = r.reported_number AND f.status = ANY($2::text[])
       ) changed
       WHERE reported_number > $3
       ORDER BY reported_number LIMIT $4`,
      [since.toISOString(), [...GROUPED_FLAG_STATUSES], afterNumber, limit],
    );
  }

  /** Numbers with reports since `since` that no campaign holds and no open or reviewed flag covers. */
  nextSimCandidates(
    manager: EntityManager,
    since: Date,
    limit: number,
  ): Promise<{ reported_number: string }[]> {
    return manager.query(
      `SELECT r.reported_number
         FROM (SELECT DISTINCT reported_number FROM reports WHERE received_at > $1) r
         LEFT JOIN flags f ON f.reported_number = r.reported_number
        WHERE (f.id IS NULL OR f.status NOT IN ('open', 'in_review'))
          AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.reported_number = r.reported_number)
        ORDER BY r.reported_number LIMIT $2`,
      [since.toISOString(), limit],
    );
  }

  /** Each number's reports since `since` with their text, newest first, at most `perNumber` each. */
  reportsWithText(
    manager: EntityManager,
    numbers: readonly string[],
    since: Date,
    perNumber: number,
  ): Promise<ReportTextRow[]> {
    if (numbers.length === 0) return Promise.resolve([]);
    return manager.query(
      `SELECT r.report_id, b.reported_number, r.reporter, r.agent_id, r.kind, r.category, r.number_type,
              r.received_at, r.weighted, r.content
         FROM unnest($1::text[]) AS b(reported_number)
         CROSS JOIN LATERAL (
           SELECT * FROM reports r
            WHERE r.reported_number = b.reported_number AND r.received_at > $2
            ORDER BY r.received_at DESC LIMIT $3) r`,
      [textArray(numbers), since.toISOString(), perNumber],
    );
  }

  async saveFingerprints(
    manager: EntityManager,
    rows: readonly {
      reportedNumber: string;
      fingerprints: string[];
      bandKeys: string[];
      through: Date | null;
    }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    // Arrays of arrays do not fit unnest: each number's lists travel as JSON.
    await manager.query(
      `INSERT INTO number_fingerprints (reported_number, fingerprints, band_keys, fingerprinted_through, updated_at)
       SELECT b.n, ARRAY(SELECT jsonb_array_elements_text(b.f)), ARRAY(SELECT jsonb_array_elements_text(b.k)), b.t, now()
         FROM unnest($1::text[], $2::jsonb[], $3::jsonb[], $4::timestamptz[]) AS b(n, f, k, t)
       ON CONFLICT (reported_number) DO UPDATE SET
         fingerprints = EXCLUDED.fingerprints, band_keys = EXCLUDED.band_keys,
         fingerprinted_through = EXCLUDED.fingerprinted_through, updated_at = now()`,
      [
        textArray(rows.map((r) => r.reportedNumber)),
        rows.map((r) => JSON.stringify(r.fingerprints)),
        rows.map((r) => JSON.stringify(r.bandKeys)),
        rows.map((r) => r.through?.toISOString() ?? null),
      ],
    );
  }

  /**
   * Grouped numbers that could link with the changed ones: sharing a fingerprint band, in one of
   * the number blocks (ranges of E.164 numbers, [lo, hi)), or reported since `since` by one of the
   * changed numbers' reporters (reporters of more than `maxNumbersPerReporter` numbers left out).
   *
   * The bands are matched by a hash join of the stored numbers' keys with the changed ones', not
   * with `band_keys && $1`: a changed number brings up to 800 keys (50 fingerprints of 16 bands),
   * and `&&` compares a row's keys with the whole array until one matches, so a row that shares
   * none costs keys x array. With 496 changed numbers (280,769 keys) over 2,358 fingerprinted ones
   * (813,391 keys), `&&` ran for more than 8 minutes; a GIN probe per key for 10 s, and more than 5
   * minutes on the first run's 800,000 keys; the hash join reads every stored key once, 1.5 s for
   * that size on the same loaded machine (bench/campaigns.bench.ts, decision 0063). The changed
   * numbers' keys are read from their stored rows (saved just before in the same transaction), not
   * sent from the job: 800,000 keys as strings held in the process and as one parameter were a
   * large part of the first run's memory.
   */
  async neighbours(
    manager: EntityManager,
    numbers: readonly string[],
    blocks: readonly { lo: string; hi: string }[],
    since: Date,
    maxNumbersPerReporter: number,
  ): Promise<string[]> {
    const rows: { reported_number: string }[] = await manager.query(
      `SELECT n.reported_number FROM number_fingerprints n
         CROSS JOIN LATERAL unnest(n.band_keys) AS stored(band_key)
         JOIN (SELECT DISTINCT changed.band_key FROM number_fingerprints c
                 CROSS JOIN LATERAL unnest(c.band_keys) AS changed(band_key)
                WHERE c.reported_number = ANY($1::text[])) k ON k.band_key = stored.band_key
       UNION
       SELECT n.reported_number FROM unnest($2::text[], $3::text[]) AS b(lo, hi)
         CROSS JOIN LATERAL (SELECT reported_number FROM number_fingerprints
                              WHERE reported_number ~>=~ b.lo AND reported_number ~<~ b.hi) n
       UNION
       SELECT o.reported_number
         FROM (SELECT r.reporter FROM unnest($1::text[]) AS c(reported_number)
                 CROSS JOIN LATERAL (SELECT DISTINCT reporter FROM reports
                                      WHERE reported_number = c.reported_number AND received_at > $4) r) rep
         CROSS JOIN LATERAL (SELECT array_agg(DISTINCT reported_number) AS numbers FROM reports
                              WHERE reporter = rep.reporter AND received_at > $4) other
         CROSS JOIN LATERAL unnest(other.numbers) AS o(reported_number)
        WHERE cardinality(other.numbers) <= $5
          AND EXISTS (SELECT 1 FROM number_fingerprints n WHERE n.reported_number = o.reported_number)`,
      [
        textArray(numbers),
        textArray(blocks.map((b) => b.lo)),
        textArray(blocks.map((b) => b.hi)),
        since.toISOString(),
        maxNumbersPerReporter,
      ],
    );
    return rows.map((r) => r.reported_number);
  }

  /** The campaigns (not merged away) holding any of the numbers, with all their members. */
  async campaignsHolding(
    manager: EntityManager,
    numbers: readonly string[],
  ): Promise<{ id: string; status: CampaignStatus; members: string[] }[]> {
    if (numbers.length === 0) return [];
    return manager.query(
      `SELECT c.id, c.status, array_agg(m.reported_number ORDER BY m.reported_number) AS members
         FROM campaigns c JOIN campaign_members m ON m.campaign_id = c.id
        WHERE c.id IN (SELECT held.campaign_id FROM unnest($1::text[]) AS b(reported_number)
                         JOIN campaign_members held ON held.reported_number = b.reported_number)
          AND c.status <> 'merged'
        GROUP BY c.id ORDER BY c.id`,
      [textArray(numbers)],
    );
  }

  /** Each number's flag, carrier, fingerprints and reports (reporter, time) since `since`, at most `perNumber`. */
  evidenceOf(
    manager: EntityManager,
    numbers: readonly string[],
    since: Date,
    perNumber: number,
  ): Promise<NumberEvidenceRow[]> {
    if (numbers.length === 0) return Promise.resolve([]);
    return manager.query(
      `SELECT f.reported_number, f.id AS flag_id, f.status AS flag_status, f.severity, n.fingerprints,
              r.carrier, r.reporters, r.times
         FROM unnest($1::text[]) AS b(reported_number)
         JOIN flags f ON f.reported_number = b.reported_number
         LEFT JOIN number_fingerprints n ON n.reported_number = b.reported_number
         CROSS JOIN LATERAL (
           SELECT (array_agg(x.carrier ORDER BY x.received_at DESC))[1] AS carrier,
                  array_agg(x.reporter ORDER BY x.received_at) AS reporters,
                  array_agg((extract(epoch FROM x.received_at) * 1000)::float8 ORDER BY x.received_at) AS times
             FROM (SELECT carrier, reporter, received_at FROM reports
                    WHERE reported_number = b.reported_number AND received_at > $2
                    ORDER BY received_at DESC LIMIT $3) x) r`,
      [textArray(numbers), since.toISOString(), perNumber],
    );
  }

  /** Every supervisor's grouping decision, oldest first: few, and each one binds every run. */
  overrides(manager: EntityManager): Promise<CampaignOverrideRow[]> {
    return manager.query(
      `SELECT kind, numbers, other_numbers, campaign_id, decided_by, decided_at FROM campaign_overrides ORDER BY id`,
    );
  }

  /** Actioned campaigns' fingerprints: what a next SIM is matched against. */
  actionedCampaigns(
    manager: EntityManager,
  ): Promise<{ id: string; severity: Severity; taken_action: string | null; fingerprints: string[] }[]> {
    return manager.query(
      `SELECT id, severity, taken_action, fingerprints FROM campaigns WHERE status = 'actioned' ORDER BY id`,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Writes of the grouping and of the API

  async create(manager: EntityManager, summary: CampaignSummaryToSave, at: number): Promise<string> {
    const [row]: { id: string }[] = await manager.query(
      `INSERT INTO campaigns (status, severity, severity_reason, rules_version, member_count, distinct_reporters,
                              carriers, first_seen_at, last_seen_at, fingerprints, opened_at)
       VALUES ('open', $1, $2, $3, $4, $5, $6::text[], $7, $8, $9::text[], $10) RETURNING id`,
      [
        summary.severity,
        summary.severityReason,
        summary.rulesVersion,
        summary.memberCount,
        summary.distinctReporters,
        textArray(summary.carriers),
        iso(summary.firstSeenAt),
        iso(summary.lastSeenAt),
        textArray(summary.fingerprints),
        iso(at),
      ],
    );
    return (row as { id: string }).id;
  }

  /** A grouping run's new figures for a campaign; its version moves only with people's changes. */
  async updateSummary(manager: EntityManager, id: string, summary: CampaignSummaryToSave): Promise<void> {
    await manager.query(
      `UPDATE campaigns SET severity = $2, severity_reason = $3, rules_version = $4, member_count = $5,
              distinct_reporters = $6, carriers = $7::text[], first_seen_at = $8, last_seen_at = $9,
              fingerprints = $10::text[], updated_at = now()
        WHERE id = $1`,
      [
        id,
        summary.severity,
        summary.severityReason,
        summary.rulesVersion,
        summary.memberCount,
        summary.distinctReporters,
        textArray(summary.carriers),
        iso(summary.firstSeenAt),
        iso(summary.lastSeenAt),
        textArray(summary.fingerprints),
      ],
    );
  }

  /** A person's change of status, assignee or action: the version moves on. */
  async setStatus(
    manager: EntityManager,
    id: string,
    change: {
      status: CampaignStatus;
      assignee: string | null;
      takenAction: string | null;
      actionedAt: number | null;
      mergedInto?: string | null;
    },
  ): Promise<number> {
    const [row]: { version: number }[] = await manager.query(
      `UPDATE campaigns SET status = $2, assignee = $3, taken_action = $4, actioned_at = $5,
              merged_into = COALESCE($6, merged_into), version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING version`,
      [
        id,
        change.status,
        change.assignee,
        change.takenAction,
        change.actionedAt === null ? null : iso(change.actionedAt),
        change.mergedInto ?? null,
      ],
    );
    return (row as { version: number }).version;
  }

  /** Puts each number in its campaign (moving it from another), with what tied it in. */
  async putMembers(manager: EntityManager, members: readonly MemberToSave[]): Promise<void> {
    if (members.length === 0) return;
    await manager.query(
      `INSERT INTO campaign_members (reported_number, campaign_id, flag_id, evidence, joined_at, joined_by)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::jsonb[], $5::timestamptz[], $6::text[])
       ON CONFLICT (reported_number) DO UPDATE SET
         campaign_id = EXCLUDED.campaign_id, flag_id = EXCLUDED.flag_id,
         -- Within one campaign the grouping's links are rewritten and what else it knew (a next SIM's match) stays.
         evidence = CASE WHEN campaign_members.campaign_id = EXCLUDED.campaign_id
                         THEN campaign_members.evidence || EXCLUDED.evidence ELSE EXCLUDED.evidence END,
         joined_at = CASE WHEN campaign_members.campaign_id = EXCLUDED.campaign_id
                          THEN campaign_members.joined_at ELSE EXCLUDED.joined_at END,
         joined_by = CASE WHEN campaign_members.campaign_id = EXCLUDED.campaign_id
                          THEN campaign_members.joined_by ELSE EXCLUDED.joined_by END`,
      [
        textArray(members.map((m) => m.reportedNumber)),
        members.map((m) => m.campaignId),
        members.map((m) => m.flagId),
        members.map((m) => JSON.stringify(m.evidence)),
        members.map((m) => iso(m.joinedAt)),
        textArray(members.map((m) => m.joinedBy)),
      ],
    );
  }

  /**
   * Each campaign's stored fingerprints (its members' distinct ones, at most 500: what a next SIM
   * is matched against) and member count, from its members as they are now.
   */
  async refreshFingerprints(manager: EntityManager, ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; member_count: number }[] = await manager.query(
      `UPDATE campaigns c SET
         member_count = (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = c.id),
         fingerprints = ARRAY(SELECT DISTINCT p FROM campaign_members m
                                JOIN number_fingerprints n ON n.reported_number = m.reported_number
                                CROSS JOIN LATERAL unnest(n.fingerprints) AS p
                               WHERE m.campaign_id = c.id ORDER BY p LIMIT 500)
        WHERE c.id = ANY($1::bigint[])
        RETURNING c.id, c.member_count`,
      [[...ids]],
    );
    return new Map(rows.map((r) => [String(r.id), r.member_count]));
  }

  /** The flag id of each number, inside the caller's transaction (a flag it just opened included). */
  async flagIds(manager: EntityManager, numbers: readonly string[]): Promise<Map<string, string>> {
    if (numbers.length === 0) return new Map();
    const rows: { reported_number: string; id: string }[] = await manager.query(
      `SELECT f.reported_number, f.id FROM unnest($1::text[]) AS b(reported_number)
         JOIN flags f ON f.reported_number = b.reported_number`,
      [textArray(numbers)],
    );
    return new Map(rows.map((r) => [r.reported_number, String(r.id)]));
  }

  async removeMembers(manager: EntityManager, numbers: readonly string[]): Promise<void> {
    if (numbers.length === 0) return;
    await manager.query(`DELETE FROM campaign_members WHERE reported_number = ANY($1::text[])`, [
      textArray(numbers),
    ]);
  }

  /** Appends history rows; each campaign's next sequence is the caller's (read under the campaign's lock). */
  async appendHistory(manager: EntityManager, rows: readonly CampaignHistoryToAppend[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO campaign_history (campaign_id, sequence, change, from_status, to_status, actor, note, details,
                                     event_id, occurred_at)
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::jsonb[], $9::text[], $10::timestamptz[])`,
      [
        rows.map((r) => r.campaign_id),
        rows.map((r) => r.sequence),
        textArray(rows.map((r) => r.change)),
        textArray(rows.map((r) => r.from_status)),
        textArray(rows.map((r) => r.to_status)),
        textArray(rows.map((r) => r.actor)),
        textArray(rows.map((r) => r.note)),
        rows.map((r) => JSON.stringify(r.details)),
        textArray(rows.map((r) => r.event_id)),
        rows.map((r) => iso(r.occurred_at)),
      ],
    );
  }

  /** The last history sequence of each campaign (0 for none). */
  async lastSequences(manager: EntityManager, ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: { campaign_id: string; sequence: number }[] = await manager.query(
      `SELECT b.id AS campaign_id, COALESCE(h.sequence, 0) AS sequence
         FROM unnest($1::bigint[]) AS b(id)
         LEFT JOIN LATERAL (SELECT sequence FROM campaign_history WHERE campaign_id = b.id
                             ORDER BY sequence DESC LIMIT 1) h ON true`,
      [ids],
    );
    return new Map(rows.map((r) => [String(r.campaign_id), r.sequence]));
  }

  async recordOverride(
    manager: EntityManager,
    override: Omit<CampaignOverrideRow, 'decided_at'> & { decided_at: number },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO campaign_overrides (kind, numbers, other_numbers, campaign_id, decided_by, decided_at)
       VALUES ($1, $2::text[], $3::text[], $4, $5, $6)`,
      [
        override.kind,
        textArray(override.numbers),
        textArray(override.other_numbers),
        override.campaign_id,
        override.decided_by,
        iso(override.decided_at),
      ],
    );
  }

  // -------------------------------------------------------------------------------------------
  // The API's reads and locks

  async list(
    filter: CampaignFilter,
    sort: CampaignSort,
    after: CampaignCursor | undefined,
    limit: number,
  ): Promise<CampaignRow[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status?.length) conditions.push(`c.status = ANY(${param([...filter.status])}::text[])`);
    if (filter.severity?.length) conditions.push(`c.severity = ANY(${param([...filter.severity])}::text[])`);
    if (filter.carrier !== undefined) conditions.push(`${param(filter.carrier)} = ANY(c.carriers)`);
    let order: string;
    switch (sort) {
      case 'newest':
        order = 'c.last_seen_at DESC, c.id DESC';
        if (after)
          conditions.push(
            `(c.last_seen_at, c.id) < (${param(after.lastSeenAt)}::timestamptz, ${param(after.id)}::bigint)`,
          );
        break;
      case 'severity':
        order = `-(${RANK}), c.last_seen_at DESC, c.id DESC`;
        if (after)
          conditions.push(
            `(-(${RANK}), -extract(epoch FROM c.last_seen_at), -c.id) > (-(${param(after.rank)}::int), -extract(epoch FROM ${param(after.lastSeenAt)}::timestamptz), -(${param(after.id)}::bigint))`,
          );
        break;
      case 'largest':
        order = 'c.member_count DESC, c.id DESC';
        if (after)
          conditions.push(
            `(c.member_count, c.id) < (${param(after.members)}::int, ${param(after.id)}::bigint)`,
          );
        break;
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.dataSource.query(
      `SELECT c.* FROM campaigns c ${where} ORDER BY ${order} LIMIT ${param(limit)}`,
      params,
    );
  }

  async byId(id: string): Promise<CampaignRow | null> {
    const rows: CampaignRow[] = await this.dataSource.query(`SELECT * FROM campaigns WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  members(campaignId: string): Promise<CampaignMemberRow[]> {
    return this.dataSource.query(
      `SELECT m.*, f.status AS flag_status, f.severity AS flag_severity, f.sequence AS flag_sequence
         FROM campaign_members m JOIN flags f ON f.id = m.flag_id
        WHERE m.campaign_id = $1 ORDER BY m.reported_number`,
      [campaignId],
    );
  }

  history(campaignId: string): Promise<CampaignHistoryRow[]> {
    return this.dataSource.query(`SELECT * FROM campaign_history WHERE campaign_id = $1 ORDER BY sequence`, [
      campaignId,
    ]);
  }

  /** The campaign a flag's number is in, for the flag's page. */
  async ofFlag(
    flagId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ id: string; status: CampaignStatus } | null> {
    const rows: { id: string; status: CampaignStatus }[] = await manager.query(
      `SELECT c.id, c.status FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id WHERE m.flag_id = $1`,
      [flagId],
    );
    return rows[0] ?? null;
  }

  /** The campaign, locked until the caller's transaction ends, or null. */
  async lockById(manager: EntityManager, id: string): Promise<CampaignRow | null> {
    const rows: CampaignRow[] = await manager.query(`SELECT * FROM campaigns WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Locks campaigns in id order, so two writers never deadlock. */
  async lockMany(manager: EntityManager, ids: readonly string[]): Promise<CampaignRow[]> {
    if (ids.length === 0) return [];
    return manager.query(`SELECT * FROM campaigns WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`, [
      [...ids],
    ]);
  }

  /** The member flags of a campaign, locked in number order (the aggregator's order). */
  async lockMemberFlags(manager: EntityManager, campaignId: string): Promise<FlagRow[]> {
    const rows: { reported_number: string }[] = await manager.query(
      `SELECT reported_number FROM campaign_members WHERE campaign_id = $1`,
      [campaignId],
    );
    return lockedRows<FlagRow>(
      manager,
      'flags',
      'reported_number',
      '*',
      rows.map((r) => r.reported_number),
    );
  }
}
