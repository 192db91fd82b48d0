import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReportsRepository } from '../aggregation/reports.repository';

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
}

export interface Assessment {
  coordinated: boolean;
  share: number;
  /** How many reporters the share was computed from. */
  reporters: number;
}

/**
 * The aggregator's coordination review: which live flags wait for an assessment, what it reads,
 * and the assessments recorded (on the flag, and in flag_assessments when the judgement changed).
 */
@Injectable()
export class FlagAssessmentsRepository {
  constructor(private readonly reports: ReportsRepository) {}

  /**
   * Up to `limit` open or in-review flags changed since their last assessment, or last assessed
   * more than `reassessAfterMs` ago, never-assessed first; locked, skipping those others hold.
   */
  async pending(tx: EntityManager, reassessAfterMs: number, limit: number): Promise<PendingAssessment[]> {
    const rows: {
      id: string;
      reported_number: string;
      possibly_coordinated: boolean;
      report_ids: string[] | null;
      counted_at: string | null;
      coordination_share: number | null;
      assessed: boolean;
    }[] = await tx.query(
      `SELECT id, reported_number, possibly_coordinated, coordination_share,
              coordination_assessed_at IS NOT NULL AS assessed,
              ARRAY(SELECT jsonb_array_elements_text(evidence -> 'reportIds')) AS report_ids,
              evidence -> 'counts' ->> 'at' AS counted_at
         FROM flags
        WHERE status IN ('open', 'in_review')
          AND (coordination_assessed_at IS NULL OR coordination_assessed_at < updated_at
               OR coordination_assessed_at < now() - make_interval(secs => $1::bigint / 1000.0))
        ORDER BY coordination_assessed_at NULLS FIRST, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
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
    }));
  }

  /** The distinct reporters of the weighted reports among `reportIds`. */
  async weightedReporters(tx: EntityManager, reportIds: readonly string[]): Promise<string[]> {
    if (reportIds.length === 0) return [];
    const rows: { reporter: string }[] = await tx.query(
      `SELECT DISTINCT reporter FROM reports WHERE report_id = ANY($1::uuid[]) AND weighted`,
      [reportIds],
    );
    return rows.map((r) => r.reporter);
  }

  /** The other numbers each reporter reported (weighted) since `since`. */
  otherNumbersByReporter(
    tx: EntityManager,
    reporters: readonly string[],
    since: Date,
  ): Promise<Map<string, Set<string>>> {
    return this.reports.otherNumbersByReporter(reporters, since, tx);
  }

  /**
   * Stores the assessment on the flag and, when `changed` (the judgement differs from the last
   * one), a row in flag_assessments: a record of judgements, not of every periodic look.
   */
  async record(
    tx: EntityManager,
    flag: Pick<PendingAssessment, 'id' | 'reportedNumber'>,
    assessment: Assessment,
    changed: boolean,
  ): Promise<void> {
    await tx.query(
      `UPDATE flags SET possibly_coordinated = $2, coordination_share = $3, coordination_assessed_at = now() WHERE id = $1`,
      [flag.id, assessment.coordinated, assessment.share],
    );
    if (changed)
      await tx.query(
        `INSERT INTO flag_assessments (flag_id, reported_number, possibly_coordinated, coordination_share, reporters)
         VALUES ($1, $2, $3, $4, $5)`,
        [flag.id, flag.reportedNumber, assessment.coordinated, assessment.share, assessment.reporters],
      );
  }
}
