import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A live flag waiting for its coordination assessment, with what the last one found. */
export interface PendingAssessment {
  id: string;
  reportedNumber: string;
  possiblyCoordinated: boolean;
  coordinationShare: number | null;
  /** Whether it was ever assessed. */
  assessed: boolean;
  /** The reports of its evidence. */
  reportIds: string[];
  /** When its evidence was counted (epoch ms), or null. */
  countedAt: number | null;
  /** The flag's row version as read (xmin): its assessment is saved only if the flag is still so. */
  version: string;
}

export interface Assessment {
  coordinated: boolean;
  share: number;
  /** How many reporters the share was computed from. */
  reporters: number;
}

export interface AssessmentToSave {
  flag: Pick<PendingAssessment, 'id' | 'reportedNumber' | 'version'>;
  assessment: Assessment;
  /** Whether the judgement differs from the last one: only then is it recorded in flag_assessments. */
  changed: boolean;
}

/**
 * The aggregator's coordination review: which live flags wait for an assessment, what it reads,
 * and the assessments saved (on the flag, and in flag_assessments when the judgement changed).
 *
 * Nothing here holds a flag's lock while the review reads and judges: the flags it looks at are
 * the ones the aggregator is changing, and a review that locked 200 of them for its hundreds of
 * statements stalled every batch that touched one (up to 256 ms, decision 0073). The reads take no
 * lock; the save is one statement that skips flags another transaction holds and flags changed
 * since they were read, both of which stay pending for the next review.
 */
@Injectable()
export class FlagAssessmentsRepository {
  /**
   * Up to `limit` open or in-review flags changed since their last assessment, or last assessed
   * more than `reassessAfterMs` ago, never-assessed first.
   */
  async pending(
    manager: EntityManager,
    reassessAfterMs: number,
    limit: number,
  ): Promise<PendingAssessment[]> {
    const rows: {
      id: string;
      reported_number: string;
      possibly_coordinated: boolean;
      report_ids: string[] | null;
      counted_at: string | null;
      coordination_share: number | null;
      assessed: boolean;
      version: string;
    }[] = await manager.query(
      `SELECT id, reported_number, possibly_coordinated, coordination_share,
              coordination_assessed_at IS NOT NULL AS assessed,
              ARRAY(SELECT jsonb_array_elements_text(evidence -> 'reportIds')) AS report_ids,
              evidence -> 'counts' ->> 'at' AS counted_at, xmin::text AS version
         FROM flags
        WHERE status IN ('open', 'in_review')
          AND (coordination_assessed_at IS NULL OR coordination_assessed_at < updated_at
               OR coordination_assessed_at < now() - make_interval(secs => $1::bigint / 1000.0))
        ORDER BY coordination_assessed_at NULLS FIRST, id LIMIT $2`,
      [reassessAfterMs, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      reportedNumber: r.reported_number,
      possiblyCoordinated: r.possibly_coordinated,
      coordinationShare: r.coordination_share,
      assessed: r.assessed,
      reportIds: r.report_ids ?? [],
      countedAt: r.counted_at ? Number(r.counted_at) : null,
      version: r.version,
    }));
  }

  /** Each flag's distinct reporters of the weighted reports among its `reportIds`, by flag id. */
  async weightedReporters(
    manager: EntityManager,
    flags: readonly Pick<PendingAssessment, 'id' | 'reportIds'>[],
  ): Promise<Map<string, string[]>> {
    const pairs = flags.flatMap((f) => f.reportIds.map((reportId) => [f.id, reportId] as const));
    if (pairs.length === 0) return new Map();
    // One index lookup per report, whatever the statistics say (see ReportsRepository.historyOf).
    const rows: { flag_id: string; reporters: string[] }[] = await manager.query(
      `SELECT w.flag_id::text AS flag_id, array_agg(DISTINCT r.reporter) AS reporters
         FROM unnest($1::bigint[], $2::uuid[]) AS w(flag_id, report_id)
         CROSS JOIN LATERAL (SELECT reporter FROM reports
                              WHERE report_id = w.report_id AND weighted OFFSET 0) r
        GROUP BY w.flag_id`,
      [pairs.map(([id]) => id), pairs.map(([, reportId]) => reportId)],
    );
    return new Map(rows.map((r) => [r.flag_id, r.reporters]));
  }

  /**
   * The numbers each reporter reported with weight after its own `since` (the earliest window of
   * the flags it is a reporter of), each with the time of the latest such report (epoch ms): one
   * read for every flag of a review, each flag then keeping the numbers reported in its window.
   */
  async reportedSince(
    manager: EntityManager,
    sinceByReporter: ReadonlyMap<string, Date>,
  ): Promise<Map<string, Map<string, number>>> {
    const result = new Map<string, Map<string, number>>();
    if (sinceByReporter.size === 0) return result;
    const windows = [...sinceByReporter];
    // One index range per reporter (reports_reporter_time_idx), each bounded by its own window.
    const rows: { reporter: string; reported_number: string; latest: Date }[] = await manager.query(
      `SELECT w.reporter, r.reported_number, max(r.received_at) AS latest
         FROM unnest($1::text[], $2::timestamptz[]) AS w(reporter, since)
         CROSS JOIN LATERAL (SELECT reported_number, received_at FROM reports
                              WHERE reporter = w.reporter AND received_at > w.since AND weighted
                             OFFSET 0) r
        GROUP BY w.reporter, r.reported_number`,
      [windows.map(([reporter]) => reporter), windows.map(([, since]) => since.toISOString())],
    );
    for (const row of rows) {
      const numbers = result.get(row.reporter) ?? new Map<string, number>();
      numbers.set(row.reported_number, row.latest.getTime());
      result.set(row.reporter, numbers);
    }
    return result;
  }

  /**
   * Saves each assessment on its flag, and in flag_assessments when it changed, for the flags
   * still as read and held by no other transaction; returns the ids of the flags saved. One
   * statement: it waits for no lock and holds the ones it takes only while it runs.
   */
  async save(manager: EntityManager, assessments: readonly AssessmentToSave[]): Promise<Set<string>> {
    if (assessments.length === 0) return new Set();
    const rows: { id: string }[] = await manager.query(
      `WITH assessed AS MATERIALIZED (
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::boolean[], $5::real[], $6::int[], $7::boolean[])
           AS a(id, version, reported_number, coordinated, share, reporters, changed)),
       still_as_read AS MATERIALIZED (
         SELECT f.id FROM flags f JOIN assessed a ON a.id = f.id AND f.xmin::text = a.version
            FOR UPDATE OF f SKIP LOCKED),
       saved AS (
         UPDATE flags f SET possibly_coordinated = a.coordinated, coordination_share = a.share,
                            coordination_assessed_at = now()
           FROM assessed a
          WHERE f.id = a.id AND f.id IN (SELECT id FROM still_as_read)
         RETURNING f.id),
       recorded AS (
         INSERT INTO flag_assessments (flag_id, reported_number, possibly_coordinated, coordination_share, reporters)
         SELECT a.id, a.reported_number, a.coordinated, a.share, a.reporters
           FROM assessed a JOIN saved s ON s.id = a.id
          WHERE a.changed)
       SELECT id::text AS id FROM saved`,
      [
        assessments.map((a) => a.flag.id),
        assessments.map((a) => a.flag.version),
        assessments.map((a) => a.flag.reportedNumber),
        assessments.map((a) => a.assessment.coordinated),
        assessments.map((a) => a.assessment.share),
        assessments.map((a) => a.assessment.reporters),
        assessments.map((a) => a.changed),
      ],
    );
    return new Set(rows.map((r) => r.id));
  }
}
