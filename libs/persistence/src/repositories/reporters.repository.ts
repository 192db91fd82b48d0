import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ReporterStanding } from '@abuse-monitor/domain';

export interface ReporterRow {
  reporter: string;
  standing: ReporterStanding;
  suspicious_since: Date | null;
  cleared_at: Date | null;
  cleared_by: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  total_reports: string;
}

/** The people who report, and the standing that decides whether their reports carry weight. */
@Injectable()
export class ReportersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` reporters of that standing after `after`, in the order of their numbers. */
  page(standing: ReporterStanding, after: string, limit: number): Promise<ReporterRow[]> {
    return this.dataSource.query(
      `SELECT * FROM reporters WHERE standing = $1 AND reporter > $2 ORDER BY reporter LIMIT $3`,
      [standing, after, limit],
    );
  }

  /** The reporter, locked until the caller's transaction ends, or null. */
  async lock(manager: EntityManager, reporter: string): Promise<ReporterRow | null> {
    const rows: ReporterRow[] = await manager.query(
      `SELECT * FROM reporters WHERE reporter = $1 FOR UPDATE`,
      [reporter],
    );
    return rows[0] ?? null;
  }

  async clear(manager: EntityManager, reporter: string, by: string): Promise<ReporterRow> {
    // TypeORM answers an UPDATE with [rows, affected count], not the rows alone.
    const [rows]: [ReporterRow[], number] = await manager.query(
      `UPDATE reporters SET standing = 'cleared', cleared_at = now(), cleared_by = $2 WHERE reporter = $1 RETURNING *`,
      [reporter, by],
    );
    return rows[0];
  }
}
