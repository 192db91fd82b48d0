import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@abuse-monitor/domain';

/** A person who may review flags (a live token whose role may act on them), with what they hold. */
export interface ReviewerWorkloadRow {
  name: string;
  role: Role;
  last_used_at: Date | null;
  in_review: number;
  overdue: number;
  oldest_sla_started_at: Date | null;
}

/** A flag someone holds, for the team view. */
export interface HeldFlagRow {
  id: string;
  reported_number: string;
  severity: string;
  assignee: string;
  sequence: number;
  sla_started_at: Date;
  overdue_since: Date | null;
  /** Every flag this holder has, though only the first ones are listed. */
  held: number;
  held_overdue: number;
}

export interface UnassignedRow {
  open: number;
  overdue: number;
  oldest_sla_started_at: Date | null;
}

const LIVE_TOKEN = `t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`;

/** What supervisors read to share the work: who may review, and who holds what. */
@Injectable()
export class TeamRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Live reviewers of these roles, the least loaded first (then by name). */
  reviewers(roles: readonly Role[]): Promise<ReviewerWorkloadRow[]> {
    return this.dataSource.query(
      `SELECT t.name, t.role, t.last_used_at,
              count(f.id)::int AS in_review,
              count(f.overdue_since)::int AS overdue,
              min(f.sla_started_at) AS oldest_sla_started_at
         FROM api_tokens t
         LEFT JOIN flags f ON f.assignee = t.name AND f.status = 'in_review'
        WHERE ${LIVE_TOKEN} AND t.role = ANY($1::text[])
        GROUP BY t.id
        ORDER BY count(f.id), t.name`,
      [roles],
    );
  }

  /**
   * The flags in review, by holder: the overdue first, then the longest held; at most `perHolder`
   * listed each, with the holder's totals. Holders whose token died still appear: their flags wait
   * for a supervisor to hand them over.
   */
  held(perHolder: number): Promise<HeldFlagRow[]> {
    return this.dataSource.query(
      `SELECT id, reported_number, severity, assignee, sequence, sla_started_at, overdue_since, held, held_overdue
         FROM (SELECT f.id, f.reported_number, f.severity, f.assignee, f.sequence, f.sla_started_at, f.overdue_since,
                      count(*) OVER (PARTITION BY f.assignee)::int AS held,
                      count(f.overdue_since) OVER (PARTITION BY f.assignee)::int AS held_overdue,
                      row_number() OVER (PARTITION BY f.assignee
                                         ORDER BY f.overdue_since NULLS LAST, f.sla_started_at, f.id) AS place
                 FROM flags f
                WHERE f.status = 'in_review' AND f.assignee IS NOT NULL) h
        WHERE place <= $1
        ORDER BY assignee, place`,
      [perHolder],
    );
  }

  /** Names among these that have a live token of a role that may review. */
  async liveReviewerNames(names: readonly string[], roles: readonly Role[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT t.name FROM api_tokens t WHERE ${LIVE_TOKEN} AND t.name = ANY($1::text[]) AND t.role = ANY($2::text[])`,
      [names, roles],
    );
    return new Set(rows.map((row) => row.name));
  }

  /** The open flags nobody holds: how many, how many overdue, and the oldest clock. */
  async unassigned(): Promise<UnassignedRow> {
    const [row]: UnassignedRow[] = await this.dataSource.query(
      `SELECT count(*)::int AS open, count(overdue_since)::int AS overdue, min(sla_started_at) AS oldest_sla_started_at
         FROM flags WHERE status = 'open'`,
    );
    return row;
  }
}
