import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OutboxBacklog {
  pending: number;
  /** Seconds since the oldest unpublished row was written; null when none waits. */
  oldestAgeSeconds: number | null;
}

export interface WaitingFlags {
  status: string;
  severity: string;
  count: number;
  overdue: number;
}

export interface WaitingCampaigns {
  status: string;
  severity: string;
  count: number;
  members: number;
}

/** Appeals waiting for a supervisor (decision 0064), and how many of them are past their due date. */
export interface WaitingAppeals {
  pending: number;
  overdue: number;
}

export interface JobSuccess {
  job: string;
  /** Epoch seconds of its last successful run. */
  at: number;
}

/**
 * What the metrics and health endpoints read from the database: each read served by an index, and
 * small (counts and ranks, never a phone number).
 */
@Injectable()
export class MonitoringRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Resolves when PostgreSQL answers a trivial query over the app's own pool. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  async outboxBacklog(): Promise<OutboxBacklog> {
    const [row]: { pending: number; age: number | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::float8 AS age
         FROM outbox WHERE published_at IS NULL`,
    );
    return { pending: row.pending, oldestAgeSeconds: row.age };
  }

  /** Open and in-review flags by status and severity, and how many of them are overdue. */
  async waitingFlags(): Promise<WaitingFlags[]> {
    const rows: { status: string; severity: string; n: number; overdue: number }[] =
      await this.dataSource.query(
        `SELECT status, severity, count(*)::int AS n, count(overdue_since)::int AS overdue
         FROM flags WHERE status IN ('open', 'in_review') GROUP BY status, severity`,
      );
    return rows.map((r) => ({ status: r.status, severity: r.severity, count: r.n, overdue: r.overdue }));
  }

  /** Open and in-review campaigns by status and severity, with their members (decision 0054). */
  async waitingCampaigns(): Promise<WaitingCampaigns[]> {
    const rows: { status: string; severity: string; n: number; members: number }[] =
      await this.dataSource.query(
        `SELECT status, severity, count(*)::int AS n, sum(member_count)::int AS members
         FROM campaigns WHERE status IN ('open', 'in_review') GROUP BY status, severity`,
      );
    return rows.map((r) => ({ status: r.status, severity: r.severity, count: r.n, members: r.members }));
  }

  async waitingAppeals(): Promise<WaitingAppeals> {
    const [row]: { pending: number; overdue: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS pending, count(*) FILTER (WHERE due_at <= now())::int AS overdue
         FROM appeals WHERE status = 'pending'`,
    );
    return { pending: row.pending, overdue: row.overdue };
  }

  /**
   * The distinct reporters of the last 24 hours of the `limit` most reported numbers, by rank.
   * Only numbers reported by more than one person are ranked: the index holds those alone, so the
   * aggregator's writes of the many numbers with one reporter skip it (decision 0076).
   */
  async topReportedCounts(limit: number): Promise<number[]> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT distinct_reporters_24h AS n FROM subscriber_counters WHERE distinct_reporters_24h >= 2
        ORDER BY distinct_reporters_24h DESC, reported_number LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.n);
  }

  async lastJobSuccesses(): Promise<JobSuccess[]> {
    return this.dataSource.query(
      `SELECT job, extract(epoch FROM max(finished_at))::float8 AS at FROM job_runs
        WHERE outcome = 'succeeded' GROUP BY job`,
    );
  }
}
