import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Category, NumberType, ReportKind, WindowReport } from '@abuse-monitor/domain';
import { timestampFromEpochMs } from '../array-literal';
import { binaryInt8Array, binaryTextArray, binaryUuidArray } from '../binary-array';
import { storableText } from '../storable-text';
import { violatesUnique } from '../data-refusal';

/** One accepted report as the aggregator stores it. */
export interface ReportRow {
  reportId: string;
  reportedNumber: string;
  reporter: string;
  channel: string;
  shortCode: string | null;
  sourceId: string;
  kind: ReportKind;
  category: Category;
  categoryKeyword: string | null;
  numberType: NumberType;
  carrier: string | null;
  content: string | null;
  /** reportTextKey(content), computed by the aggregator as it builds the row (decision 0069). */
  textKey: string | null;
  agentId: string | null;
  receivedAt: Date;
}

export interface WindowReportRow {
  report_id: string;
  reported_number: string;
  reporter: string;
  agent_id: string | null;
  kind: ReportKind;
  category: Category;
  number_type: NumberType;
  received_at: Date;
  weighted: boolean;
}

/** A stored report as evaluation and counting take it. */
export const toWindowReport = (row: Omit<WindowReportRow, 'reported_number'>): WindowReport => ({
  reportId: row.report_id,
  reporter: row.reporter,
  agentId: row.agent_id,
  kind: row.kind,
  category: row.category,
  numberType: row.number_type,
  receivedAt: row.received_at.getTime(),
  weighted: row.weighted,
});

const INSERT_REPORTS = `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind,
                        category, category_keyword, number_type, carrier, content, agent_id, received_at, weighted, text_key)
   SELECT id, n, rep, ch, sc, src, k, cat, kw, nt, car, c, ag, ${timestampFromEpochMs('at')}, true, tk
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                 $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[],
                 $15::uuid[])
       AS b(id, n, rep, ch, sc, src, k, cat, kw, nt, car, c, ag, at, tk)`;

/** The columns of INSERT_REPORTS, each a binary array. */
function reportColumns(rows: readonly ReportRow[]): Buffer[] {
  const text = (v: string | null) => (v === null ? null : storableText(v));
  const column = (value: (r: ReportRow) => string | null) => binaryTextArray(rows.map(value));
  return [
    binaryUuidArray(rows.map((r) => r.reportId)),
    column((r) => r.reportedNumber),
    column((r) => text(r.reporter)),
    column((r) => r.channel),
    column((r) => text(r.shortCode)),
    column((r) => text(r.sourceId)),
    column((r) => r.kind),
    column((r) => r.category),
    column((r) => text(r.categoryKeyword)),
    column((r) => r.numberType),
    column((r) => text(r.carrier)),
    column((r) => text(r.content)),
    column((r) => text(r.agentId)),
    binaryInt8Array(rows.map((r) => r.receivedAt.getTime())),
    binaryUuidArray(rows.map((r) => r.textKey)),
  ];
}

/** Whether an insert failed because one of its reports is stored already (see insertAll). */
export const holdsAStoredReport = (error: unknown): boolean => violatesUnique(error, 'reports_pkey');

/** Reports in the aggregator's database: one statement per batch for each step. */
@Injectable()
export class ReportsRepository {
  /**
   * Inserts the reports, all of which the caller takes to be new (weighted until the reporter
   * guard says otherwise). A report stored already fails the statement, and with it the
   * transaction (holdsAStoredReport): the caller then stores the batch again with insertNew.
   * Without ON CONFLICT, PostgreSQL skips a speculative insertion a row, about 1.5-2 µs of its
   * CPU a report (decision 0078).
   */
  async insertAll(rows: readonly ReportRow[], manager: EntityManager): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    await manager.query(INSERT_REPORTS, reportColumns(rows));
    return new Set(rows.map((r) => r.reportId));
  }

  /** Inserts the reports whose id is new, and says which those were. */
  async insertNew(rows: readonly ReportRow[], manager: EntityManager): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const result: { report_id: string }[] = await manager.query(
      `${INSERT_REPORTS} ON CONFLICT (report_id) DO NOTHING RETURNING report_id`,
      reportColumns(rows),
    );
    return new Set(result.map((r) => r.report_id));
  }

  /**
   * For each of these stored reports, how many reports its reporter sent in the 24 hours up to it,
   * across all numbers: what the reporter guard decides on.
   */
  async reporterDailyCounts(
    reportIds: readonly string[],
    manager: EntityManager,
  ): Promise<Map<string, number>> {
    if (reportIds.length === 0) return new Map();
    // Index lookups per report, whatever the statistics say (see historyOf).
    const rows: { report_id: string; last_day: number }[] = await manager.query(
      `SELECT r.report_id, d.last_day
         FROM unnest($1::uuid[]) AS wanted(report_id)
         CROSS JOIN LATERAL (SELECT report_id, reporter, received_at FROM reports
                              WHERE report_id = wanted.report_id OFFSET 0) r
         CROSS JOIN LATERAL (SELECT count(*)::int AS last_day FROM reports o
                              WHERE o.reporter = r.reporter
                                AND o.received_at > r.received_at - interval '24 hours'
                                AND o.received_at <= r.received_at) d`,
      [reportIds],
    );
    return new Map(rows.map((r) => [r.report_id, r.last_day]));
  }

  async markUnweighted(reportIds: readonly string[], manager: EntityManager): Promise<void> {
    if (reportIds.length === 0) return;
    await manager.query(`UPDATE reports SET weighted = false WHERE report_id = ANY($1::uuid[])`, [reportIds]);
  }

  /**
   * Every stored report of numbers that have no counters row (decision 0083): one or none each,
   * unless two writers raced. Read before a batch stores its own: most of these numbers are new,
   * and an index finds nothing of them without a visit to the table.
   */
  async everyReportOf(
    numbers: readonly string[],
    manager: EntityManager,
  ): Promise<Map<string, WindowReport[]>> {
    const reports = new Map<string, WindowReport[]>(numbers.map((n) => [n, []]));
    if (numbers.length === 0) return reports;
    // One index range per number, as in historyOf.
    const rows: WindowReportRow[] = await manager.query(
      `SELECT r.report_id, b.reported_number, r.reporter, r.agent_id, r.kind, r.category, r.number_type, r.received_at, r.weighted
         FROM unnest($1::text[]) AS b(reported_number)
         CROSS JOIN LATERAL (SELECT * FROM reports r WHERE r.reported_number = b.reported_number OFFSET 0) r`,
      [binaryTextArray(numbers)],
    );
    for (const row of rows) reports.get(row.reported_number)?.push(toWindowReport(row));
    return reports;
  }

  /**
   * The reports of each number that evaluation needs: everything received within `reachMs`
   * before that number's earliest new report, and anything later (late arrivals).
   */
  async historyOf(
    earliestByNumber: ReadonlyMap<string, Date>,
    reachMs: number,
    excludedReportIds: readonly string[],
    manager: EntityManager,
  ): Promise<Map<string, WindowReport[]>> {
    const numbers = [...earliestByNumber.keys()];
    const history = new Map<string, WindowReport[]>(numbers.map((n) => [n, []]));
    if (numbers.length === 0) return history;
    // One index range per number: without statistics (a new database, autovacuum behind), a
    // plain join is planned as a hash join over the whole table, every batch. OFFSET 0 keeps the
    // planner from turning the LATERAL subquery back into that join.
    const rows: WindowReportRow[] = await manager.query(
      `SELECT r.report_id, b.reported_number, r.reporter, r.agent_id, r.kind, r.category, r.number_type, r.received_at, r.weighted
         FROM unnest($1::text[], $2::timestamptz[]) AS b(reported_number, earliest)
         CROSS JOIN LATERAL (
           SELECT * FROM reports r
            WHERE r.reported_number = b.reported_number
              AND r.received_at > b.earliest - make_interval(secs => $3::double precision / 1000)
           OFFSET 0) r`,
      [numbers, numbers.map((n) => earliestByNumber.get(n)?.toISOString()), reachMs],
    );
    // Excluded here rather than in SQL: "<> ALL(array)" costs the array's length for every row.
    const excluded = new Set(excludedReportIds);
    for (const row of rows) {
      if (!excluded.has(row.report_id)) history.get(row.reported_number)?.push(toWindowReport(row));
    }
    return history;
  }
}
