import { EntityManager } from 'typeorm';
import type { ReporterStanding } from '@abuse-monitor/domain';

export interface ReporterUpdate {
  reporter: string;
  standing: ReporterStanding;
  suspiciousSince: Date | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  newReports: number;
}

export interface StoredReporter {
  standing: ReporterStanding;
  /** Epoch milliseconds of the latest report stored from this reporter. */
  lastSeenAt: number;
}

/** Reporters and their standing (normal, suspicious, cleared by a person). */
export class ReporterStore {
  /** Known reporters, locked for this transaction; in a fixed order so writers never deadlock. */
  async forUpdate(
    reporters: readonly string[],
    manager: EntityManager,
  ): Promise<Map<string, StoredReporter>> {
    const sorted = [...new Set(reporters)].sort();
    if (sorted.length === 0) return new Map();
    const rows: { reporter: string; standing: ReporterStanding; last_seen_at: Date }[] = await manager.query(
      `SELECT reporter, standing, last_seen_at FROM reporters WHERE reporter = ANY($1::text[])
        ORDER BY reporter FOR UPDATE`,
      [sorted],
    );
    return new Map(
      rows.map((r) => [r.reporter, { standing: r.standing, lastSeenAt: r.last_seen_at.getTime() }]),
    );
  }

  async save(updates: readonly ReporterUpdate[], manager: EntityManager): Promise<void> {
    if (updates.length === 0) return;
    const sorted = [...updates].sort((a, b) => a.reporter.localeCompare(b.reporter));
    await manager.query(
      `INSERT INTO reporters (reporter, standing, suspicious_since, first_seen_at, last_seen_at, total_reports)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::bigint[])
       ON CONFLICT (reporter) DO UPDATE SET
         standing = EXCLUDED.standing,
         suspicious_since = COALESCE(reporters.suspicious_since, EXCLUDED.suspicious_since),
         first_seen_at = LEAST(reporters.first_seen_at, EXCLUDED.first_seen_at),
         last_seen_at = GREATEST(reporters.last_seen_at, EXCLUDED.last_seen_at),
         total_reports = reporters.total_reports + EXCLUDED.total_reports`,
      [
        sorted.map((u) => u.reporter),
        sorted.map((u) => u.standing),
        sorted.map((u) => u.suspiciousSince?.toISOString() ?? null),
        sorted.map((u) => u.firstSeenAt.toISOString()),
        sorted.map((u) => u.lastSeenAt.toISOString()),
        sorted.map((u) => u.newReports),
      ],
    );
  }
}
