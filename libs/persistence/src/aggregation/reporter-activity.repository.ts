import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ReporterStanding } from '@abuse-monitor/domain';
import { timestampFromEpochMs } from '../array-literal';
import { binaryInt8Array, binaryTextArray } from '../binary-array';
import { lockedRows } from './locked-rows';

/** What one batch adds to a reporter, before the guard has judged it. */
export interface ReporterActivity {
  reporter: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  reports: number;
}

/** What the guard decided for a reporter; `reports` is what is still to be added to its total. */
export interface ReporterUpdate extends ReporterActivity {
  standing: ReporterStanding;
  suspiciousSince: Date | null;
}

export interface StoredReporter {
  standing: ReporterStanding;
  /** Epoch milliseconds of the latest report stored from this reporter. */
  lastSeenAt: number;
}

export interface ReportersOfBatch {
  /** Reporters stored for the first time by this batch: normal, with the batch's activity. */
  added: Set<string>;
  /** Reporters stored before, locked for this transaction, as they were before this batch. */
  known: Map<string, StoredReporter>;
}

const byReporter = (a: { reporter: string }, b: { reporter: string }) =>
  a.reporter < b.reporter ? -1 : a.reporter > b.reporter ? 1 : 0;

/** Reporters and their standing (normal, suspicious, cleared by a person). */
@Injectable()
export class ReporterActivityRepository {
  /**
   * Inserts the reporters never seen before as normal, with this batch's activity already
   * counted, then locks and reads the others. Most reporters of a batch are new: for them one
   * insert replaces a lookup and an upsert. Both steps go in the same order so writers never
   * deadlock; an insert that meets another transaction's uncommitted row waits for it, so a
   * reporter is either added here or read here after the other transaction committed.
   */
  async addNewAndLockKnown(
    activity: readonly ReporterActivity[],
    manager: EntityManager,
  ): Promise<ReportersOfBatch> {
    if (activity.length === 0) return { added: new Set(), known: new Map() };
    const sorted = [...activity].sort(byReporter);
    const inserted: { reporter: string }[] = await manager.query(
      `INSERT INTO reporters (reporter, standing, first_seen_at, last_seen_at, total_reports)
       SELECT r, 'normal', ${timestampFromEpochMs('f')}, ${timestampFromEpochMs('l')}, n
         FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS b(r, f, l, n)
       ON CONFLICT (reporter) DO NOTHING
       RETURNING reporter`,
      [
        binaryTextArray(sorted.map((a) => a.reporter)),
        binaryInt8Array(sorted.map((a) => a.firstSeenAt.getTime())),
        binaryInt8Array(sorted.map((a) => a.lastSeenAt.getTime())),
        binaryInt8Array(sorted.map((a) => a.reports)),
      ],
    );
    const added = new Set(inserted.map((r) => r.reporter));
    const others = sorted.filter((a) => !added.has(a.reporter)).map((a) => a.reporter);
    if (others.length === 0) return { added, known: new Map() };
    const rows = await lockedRows<{ reporter: string; standing: ReporterStanding; last_seen_at: Date }>(
      manager,
      'reporters',
      'reporter',
      'reporter, standing, last_seen_at',
      others,
    );
    const known = new Map(
      rows.map((r) => [r.reporter, { standing: r.standing, lastSeenAt: r.last_seen_at.getTime() }]),
    );
    return { added, known };
  }

  /** Writes what the guard decided. */
  async save(updates: readonly ReporterUpdate[], manager: EntityManager): Promise<void> {
    if (updates.length === 0) return;
    const sorted = [...updates].sort(byReporter);
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
        sorted.map((u) => u.reports),
      ],
    );
  }
}
