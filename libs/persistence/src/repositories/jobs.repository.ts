import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { FlagState, FlagTransition, LONGEST_WINDOW_SECONDS } from '@abuse-monitor/domain';
import { affectedRows } from '../affected-rows';
import { flagFromRow } from './flag-rows';
import { saveTransitions } from './save-transitions';

/** What retention writes in place of personal data. */
export const ANONYMISED = 'anonymised';

/** A flag a job may change: its state and what the job's rule reads beside it. */
export interface DueFlag {
  id: string;
  state: FlagState;
  evidence: unknown;
  /** Only for repeat offenders: reporters new to the number since the action. */
  newReporters: number | null;
  /** Only for watched flags: when the watch ends (decision 0047). */
  watchUntil?: number | null;
}

/** A page of due flags: ids above `afterId`, at most `limit` of them. */
export interface Page {
  afterId: string;
  limit: number;
}

/** SLAs by severity, in milliseconds. */
export interface SlaBySeverity {
  high: number;
  medium: number;
  low: number;
}

export type JobRunOutcome = 'succeeded' | 'failed';

/** The job_runs rows of one job, written while its advisory lock is held. */
export interface JobRunLog {
  /** Marks runs left 'running' by a replica that died (nobody else can hold the lock). */
  abandonRunning(job: string): Promise<void>;
  /** The run's id, or null when this tick already ran. */
  start(job: string, tickAt: Date, replica: string): Promise<string | null>;
  finish(runId: string, outcome: JobRunOutcome, items: number, error?: string): Promise<void>;
}

type DueFlagRow = Parameters<typeof flagFromRow>[0] & {
  id: string;
  evidence: unknown;
  new_reporters?: number;
  watch_until?: Date | null;
};

// Every due-flag query selects flags as f with f.id > $1, ordered by f.id, limited to $2 rows and
// locked with FOR UPDATE OF f SKIP LOCKED (a flag the aggregator or a person holds is taken next
// tick); ids only go up, so a flag a command refuses is not selected again in the same run.
const pastSla = (status: 'open' | 'in_review') => `SELECT f.* FROM flags f
  WHERE f.status = '${status}' AND f.overdue_since IS NULL AND f.id > $1
    AND f.sla_started_at + make_interval(secs => (CASE f.severity WHEN 'high' THEN $4::bigint
          WHEN 'medium' THEN $5::bigint ELSE $6::bigint END) / 1000.0) <= $3::timestamptz
  ORDER BY f.id LIMIT $2 FOR UPDATE OF f SKIP LOCKED`;

const DUE_FOR_EXPIRY = `SELECT f.* FROM flags f JOIN subscriber_counters c ON c.reported_number = f.reported_number
  WHERE f.status = 'open' AND f.severity = 'low' AND f.id > $1
    AND c.last_seen_at + make_interval(secs => $4::bigint / 1000.0) <= $3::timestamptz
  ORDER BY f.id LIMIT $2 FOR UPDATE OF f SKIP LOCKED`;

const WATCHES_ENDED = `SELECT f.* FROM flags f
  WHERE f.status = 'watched' AND f.id > $1 AND f.watch_until <= $3::timestamptz
  ORDER BY f.id LIMIT $2 FOR UPDATE OF f SKIP LOCKED`;

const REPEAT_OFFENDERS = `SELECT f.*, n.new_reporters FROM flags f
  CROSS JOIN LATERAL (
    SELECT count(DISTINCT r.reporter)::int AS new_reporters FROM reports r
     WHERE r.reported_number = f.reported_number AND r.weighted
       AND r.received_at > f.counts_reports_after
       AND r.received_at <= LEAST(f.counts_reports_after + make_interval(secs => $4::bigint / 1000.0),
                                  $3::timestamptz)
       AND NOT EXISTS (SELECT 1 FROM reports p
                        WHERE p.reported_number = f.reported_number AND p.reporter = r.reporter
                          AND p.received_at <= f.counts_reports_after)
  ) n
  WHERE f.status = 'actioned' AND f.taken_action IS NOT NULL AND f.id > $1
    AND f.counts_reports_after > $3::timestamptz - make_interval(secs => $4::bigint / 1000.0)
    AND n.new_reporters >= $5
  ORDER BY f.id LIMIT $2 FOR UPDATE OF f SKIP LOCKED`;

// Each anonymising statement takes the cutoff as $1 and the batch size as $2.
const ANONYMISE = {
  reports: `UPDATE reports SET reporter = '${ANONYMISED}', content = NULL, text_key = NULL, anonymised_at = now()
    WHERE report_id IN (SELECT report_id FROM reports WHERE received_at < $1 AND anonymised_at IS NULL
                         ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  rejections: `UPDATE rejected_reports SET reporter = '${ANONYMISED}', anonymised_at = now()
    WHERE (channel, source_id) IN (SELECT channel, source_id FROM rejected_reports
                                    WHERE received_at < $1 AND anonymised_at IS NULL
                                    ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  // What ingest stored before decision 0025; nothing new arrives there.
  rawSms: `UPDATE raw_sms_messages SET reporter = '${ANONYMISED}', text = '', anonymised_at = now()
    WHERE message_id IN (SELECT message_id FROM raw_sms_messages WHERE received_at < $1 AND anonymised_at IS NULL
                          ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  submissions: `UPDATE submitted_reports
      SET payload = jsonb_build_object('kind', payload -> 'kind', 'category', payload -> 'category',
                                       '${ANONYMISED}', true),
          anonymised_at = now()
    WHERE submission_id IN (SELECT submission_id FROM submitted_reports
                             WHERE stored_at < $1 AND anonymised_at IS NULL
                             ORDER BY stored_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  // Held hotline submissions keep their body for a supervisor; past retention only the kind stays.
  agentSubmissions: `UPDATE agent_submissions
      SET submission = jsonb_build_object('kind', submission -> 'kind', '${ANONYMISED}', true)
    WHERE id IN (SELECT id FROM agent_submissions
                  WHERE submitted_at < $1 AND submission IS NOT NULL AND NOT submission ? '${ANONYMISED}'
                  ORDER BY submitted_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
} as const;

// The walks along a primary key take the cutoff as $1, the batch size as $2 and the last key
// changed before as $3 (decision 0076: no index on last_seen_at slows the aggregator's writes).
// Each batch counts the rows it changed and names the last, where the next one goes on.
const WALK = {
  forgetReporters: `WITH walked AS (
      DELETE FROM reporters WHERE reporter IN (SELECT reporter FROM reporters
                                                WHERE reporter > $3 AND last_seen_at < $1
                                                ORDER BY reporter LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING reporter)
    SELECT count(*)::int AS changed, max(reporter) AS last FROM walked`,
  compactQuietCounters: `WITH walked AS (
      UPDATE subscriber_counters SET
         reports_1h = 0, distinct_reporters_1h = 0, reports_24h = 0, distinct_reporters_24h = 0,
         reports_7d = 0, distinct_reporters_7d = 0, reports_30d = 0, distinct_reporters_30d = 0,
         by_kind_30d = '{}', by_category_30d = '{}', counted_at = $4::timestamptz, updated_at = now()
        WHERE reported_number IN (SELECT reported_number FROM subscriber_counters
                                   WHERE reported_number > $3 AND last_seen_at <= $1 AND reports_30d > 0
                                   ORDER BY reported_number LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING reported_number)
    SELECT count(*)::int AS changed, max(reported_number) AS last FROM walked`,
} as const;

/**
 * One batch of a walk along a table's primary key: how many rows it changed, and the last key it
 * changed (null when none), after which the next batch goes on. A batch that changed fewer rows
 * than asked for reached the end of the table.
 */
export interface WalkedBatch {
  changed: number;
  last: string | null;
}

/** Where a walk along a primary key starts: before every key. */
export const WALK_FROM_START = '';

const dueFlag = (row: DueFlagRow): DueFlag => ({
  id: row.id,
  state: flagFromRow(row),
  evidence: row.evidence,
  newReporters: row.new_reporters === undefined ? null : Number(row.new_reporters),
  watchUntil: row.watch_until ? row.watch_until.getTime() : null,
});

/** The scheduler's statements: the run log and its lock, the flags each job changes, retention. */
@Injectable()
export class JobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` holding the job's session advisory lock, so runs never overlap across replicas;
   * 'locked' when another replica holds it.
   */
  async whileLocked<T>(job: string, work: (runs: JobRunLog) => Promise<T>): Promise<T | 'locked'> {
    const connection = this.dataSource.createQueryRunner();
    try {
      await connection.connect();
      const lockKey = `abuse-monitor.job.${job}`;
      const [{ locked }]: { locked: boolean }[] = await connection.query(
        `SELECT pg_try_advisory_lock(hashtext($1)) AS locked`,
        [lockKey],
      );
      if (!locked) return 'locked';
      try {
        return await work(runLog(connection));
      } finally {
        await connection.query(`SELECT pg_advisory_unlock(hashtext($1))`, [lockKey]);
      }
    } finally {
      await connection.release();
    }
  }

  /** Open or in-review flags, not yet marked overdue, whose SLA for their severity ran out by `now`. */
  dueForEscalation(
    tx: EntityManager,
    page: Page,
    status: 'open' | 'in_review',
    now: Date,
    sla: SlaBySeverity,
  ): Promise<DueFlag[]> {
    return dueFlags(tx, pastSla(status), page, [now.toISOString(), sla.high, sla.medium, sla.low]);
  }

  /** Open low flags whose number has had no report for `quietMs`. */
  dueForExpiry(tx: EntityManager, page: Page, now: Date, quietMs: number): Promise<DueFlag[]> {
    return dueFlags(tx, DUE_FOR_EXPIRY, page, [now.toISOString(), quietMs]);
  }

  /** Watched flags whose watch date has come (served by the partial index on watch_until). */
  watchesEnded(tx: EntityManager, page: Page, now: Date): Promise<DueFlag[]> {
    return dueFlags(tx, WATCHES_ENDED, page, [now.toISOString()]);
  }

  /**
   * Actioned flags reported again, within `periodMs` of the action, by at least `minNewReporters`
   * reporters who had not reported the number before.
   */
  repeatOffenders(
    tx: EntityManager,
    page: Page,
    now: Date,
    periodMs: number,
    minNewReporters: number,
  ): Promise<DueFlag[]> {
    return dueFlags(tx, REPEAT_OFFENDERS, page, [now.toISOString(), periodMs, minNewReporters]);
  }

  /** Saves the transitions and queues their events, in the caller's transaction. */
  saveTransitions(tx: EntityManager, transitions: readonly FlagTransition[], topic: string): Promise<void> {
    return saveTransitions(tx, transitions, topic);
  }

  /**
   * Zeroes the counters of up to `limit` numbers quiet for longer than the longest window (nothing
   * is in any window), the first after `after` in the primary key's order. No index on
   * last_seen_at is kept for it (decision 0076): when many numbers are due the planner walks the
   * primary key from `after`, when few it scans the table once and the first batch comes back short.
   */
  compactQuietCounters(now: Date, limit: number, after: string): Promise<WalkedBatch> {
    const quietSince = new Date(now.getTime() - LONGEST_WINDOW_SECONDS * 1000);
    return walkBatch(this.dataSource, WALK.compactQuietCounters, [
      quietSince.toISOString(),
      limit,
      after,
      now.toISOString(),
    ]);
  }

  /** Anonymises up to `limit` reports received before `cutoff`; returns how many. */
  anonymiseReportsBefore(cutoff: Date, limit: number): Promise<number> {
    return changeBatch(this.dataSource, ANONYMISE.reports, cutoff, limit);
  }

  anonymiseRejectionsBefore(cutoff: Date, limit: number): Promise<number> {
    return changeBatch(this.dataSource, ANONYMISE.rejections, cutoff, limit);
  }

  anonymiseRawSmsBefore(cutoff: Date, limit: number): Promise<number> {
    return changeBatch(this.dataSource, ANONYMISE.rawSms, cutoff, limit);
  }

  anonymiseSubmissionsBefore(cutoff: Date, limit: number): Promise<number> {
    return changeBatch(this.dataSource, ANONYMISE.submissions, cutoff, limit);
  }

  anonymiseAgentSubmissionsBefore(cutoff: Date, limit: number): Promise<number> {
    return changeBatch(this.dataSource, ANONYMISE.agentSubmissions, cutoff, limit);
  }

  /**
   * Deletes up to `limit` reporters last seen before `cutoff`, the first after `after` in the
   * primary key's order (see compactQuietCounters).
   */
  forgetReportersSilentSince(cutoff: Date, limit: number, after: string): Promise<WalkedBatch> {
    return walkBatch(this.dataSource, WALK.forgetReporters, [cutoff.toISOString(), limit, after]);
  }
}

async function dueFlags(tx: EntityManager, sql: string, page: Page, params: unknown[]): Promise<DueFlag[]> {
  const rows: DueFlagRow[] = await tx.query(sql, [page.afterId, page.limit, ...params]);
  return rows.map(dueFlag);
}

async function changeBatch(
  dataSource: DataSource,
  sql: string,
  cutoff: Date,
  limit: number,
): Promise<number> {
  return affectedRows(await dataSource.query(sql, [cutoff.toISOString(), limit]));
}

async function walkBatch(dataSource: DataSource, sql: string, params: unknown[]): Promise<WalkedBatch> {
  const [row]: WalkedBatch[] = await dataSource.query(sql, params);
  return { changed: row.changed, last: row.last };
}

function runLog(connection: QueryRunner): JobRunLog {
  return {
    async abandonRunning(job) {
      await connection.query(
        `UPDATE job_runs SET outcome = 'abandoned', finished_at = now(), error = 'the replica running it stopped'
          WHERE job = $1 AND outcome = 'running'`,
        [job],
      );
    },
    async start(job, tickAt, replica) {
      const inserted: { id: string }[] = await connection.query(
        `INSERT INTO job_runs (job, tick_at, outcome, replica) VALUES ($1, $2, 'running', $3)
         ON CONFLICT (job, tick_at) DO NOTHING RETURNING id`,
        [job, tickAt.toISOString(), replica],
      );
      return inserted.length === 0 ? null : inserted[0].id;
    },
    async finish(runId, outcome, items, error) {
      await connection.query(
        `UPDATE job_runs SET outcome = $2, finished_at = now(), items_processed = $3, error = $4 WHERE id = $1`,
        [runId, outcome, items, error ?? null],
      );
    },
  };
}
