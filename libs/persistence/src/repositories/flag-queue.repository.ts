import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SEVERITIES } from '@abuse-monitor/domain';
import { filterConditions, FLAG_COLUMNS, FROM_FLAGS, RANK } from './flag-conditions';
import { type FlagFilter, QUEUE_STATUSES, type QueueSla, type UrgencyCursor } from './flag-queue';
import type { FlagRow, QueueFlagRow } from './flag-rows';

/** A flag in the urgency order: its queue row, when its SLA runs out, and the keys of the order. */
export interface UrgentFlagRow extends QueueFlagRow {
  due_at: Date;
  /** due_at in microseconds since the epoch, exact, for the next page's cursor. */
  due_micros: string;
  reporters_key: number;
}

/** How many flags of one stage and severity have run out of SLA, or will within each horizon. */
export interface DueSoonRow {
  status: (typeof QUEUE_STATUSES)[number];
  severity: (typeof SEVERITIES)[number];
  overdue: number;
  within: number[];
}

/** A flag related to another, and by what (decision 0045). */
export interface RelatedFlagRow extends QueueFlagRow {
  shared_reporters: number;
  shared_texts: number;
  same_block: boolean;
}

/** The first 8 digits of the national number: "+84" and 8 digits of the E.164 form. */
const BLOCK = (column: string) => `left(${column}, 11)`;

const ms = (param: string) => `${param}::bigint * interval '1 millisecond'`;

/**
 * The queue in urgency order, its counts and the flags that go overdue soon, claiming the next
 * flag, and a flag's relatives (decisions 0044, 0045).
 */
@Injectable()
export class FlagQueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A page in urgency order: the end of the SLA (sla_started_at plus the SLA of the flag's stage
   * and severity), most severe, most distinct reporters in 24 h, id. The SLA depends on the stage
   * and the severity, so no one index holds the order; within one stage and severity it is the
   * order of sla_started_at, which flags_queue_sla_idx holds. Each such pair is read from the
   * index up to the page's size (with ties, since the later keys are not in the index), and only
   * those rows are sorted: at most 6 x limit rows, whatever the size of the queue.
   */
  page(
    filter: FlagFilter,
    sla: QueueSla,
    after: UrgencyCursor | undefined,
    limit: number,
    manager: EntityManager | DataSource = this.dataSource,
  ): Promise<UrgentFlagRow[]> {
    const c = filterConditions(filter, { statusAndSeverity: false });
    const limitParam = c.param(limit);
    const cursor = after && {
      due: `(timestamptz 'epoch' + ${c.param(after.dueMicros)}::bigint * interval '1 microsecond')`,
      rank: c.param(after.rank),
      reporters: c.param(after.reporters),
      id: c.param(after.id),
    };
    const branches: string[] = [];
    for (const status of QUEUE_STATUSES.filter((s) => !filter.status || filter.status.includes(s)))
      for (const severity of SEVERITIES.filter((s) => !filter.severity || filter.severity.includes(s))) {
        const slaParam = c.param(sla[status][severity]);
        const due = `(f.sla_started_at + ${ms(slaParam)})`;
        // Only fixed strings from the lists above are spliced in.
        const own = [`f.status = '${status}'`, `f.severity = '${severity}'`];
        if (cursor)
          own.push(
            `f.sla_started_at >= ${cursor.due} - ${ms(slaParam)}`,
            `(${due}, -(${RANK}), -coalesce(c.distinct_reporters_24h, 0), f.id) > ` +
              `(${cursor.due}, -(${cursor.rank}::int), -(${cursor.reporters}::int), ${cursor.id}::bigint)`,
          );
        branches.push(
          `(SELECT ${FLAG_COLUMNS}, ${due} AS due_at, coalesce(c.distinct_reporters_24h, 0) AS reporters_key
              FROM ${FROM_FLAGS} ${c.where(own)}
             ORDER BY f.sla_started_at FETCH FIRST (${limitParam}::int) ROWS WITH TIES)`,
        );
      }
    if (branches.length === 0) return Promise.resolve([]);
    return manager.query(
      `SELECT q.*, (extract(epoch FROM q.due_at) * 1000000)::bigint::text AS due_micros
         FROM (${branches.join(' UNION ALL ')}) q
        ORDER BY q.due_at, -q.rank, -q.reporters_key, q.id
        LIMIT ${limitParam}`,
      c.params,
    );
  }

  /** How many flags match the filter: an index-only count for the queue's statuses. */
  async count(filter: FlagFilter): Promise<number> {
    const { sql, params } = countStatement(filter);
    const [row]: { n: string }[] = await this.dataSource.query(sql, params);
    return Number(row?.n ?? 0);
  }

  /**
   * Per stage and severity: flags whose SLA has run out at `now`, and those whose SLA runs out
   * within each horizon (milliseconds from now). Each pair reads only the flags due before the
   * longest horizon, from flags_queue_sla_idx.
   */
  async dueSoon(sla: QueueSla, now: Date, horizons: readonly number[]): Promise<DueSoonRow[]> {
    const { sql, params } = dueSoonStatement(sla, now, horizons);
    const rows: Record<string, string | number>[] = await this.dataSource.query(sql, params);
    return rows.map((row) => ({
      status: row.status as DueSoonRow['status'],
      severity: row.severity as DueSoonRow['severity'],
      overdue: Number(row.overdue),
      within: horizons.map((_, i) => Number(row[`w${i}`])),
    }));
  }

  /**
   * The first of these flags, in the order given, that is still open, held by nobody else, and
   * not locked by another claim in progress; locked until the caller's transaction ends.
   * SKIP LOCKED: two analysts claiming at once each get the next flag, never the same one, and
   * neither waits for the other.
   */
  async lockFirstClaimable(
    manager: EntityManager,
    ids: readonly string[],
    claimant: string,
  ): Promise<FlagRow | null> {
    const rows: FlagRow[] = await manager.query(
      `SELECT f.* FROM flags f
        WHERE f.id = ANY($1::bigint[]) AND f.status = 'open' AND (f.assignee IS NULL OR f.assignee = $2)
        ORDER BY array_position($1::bigint[], f.id)
        LIMIT 1
          FOR UPDATE SKIP LOCKED`,
      [ids, claimant],
    );
    return rows[0] ?? null;
  }

  /**
   * Other flags of the reporters of this flag's latest reports, of its number block, or whose
   * reports say what its latest reports say. Each source is bounded (the latest 200 reports of the
   * number, 50 of its reporters, the latest 100 reports of each, 10 texts and the latest 200
   * reports of each), and each read is an index's: reports_reporter_time_idx, reports_text_key_idx,
   * flags_number_block_idx. Texts are compared by their stored key: the text as people mean it,
   * case and runs of white space aside (decision 0069).
   */
  related(flagId: string, limit: number): Promise<RelatedFlagRow[]> {
    return this.dataSource.query(
      `WITH me AS (SELECT id, reported_number FROM flags WHERE id = $1),
       latest AS (SELECT r.reporter, r.text_key FROM reports r, me
                   WHERE r.reported_number = me.reported_number ORDER BY r.received_at DESC LIMIT 200),
       reporters AS (SELECT DISTINCT reporter FROM latest LIMIT 50),
       by_reporter AS (
         SELECT o.reported_number, count(DISTINCT o.reporter)::int AS shared
           FROM reporters rp
          CROSS JOIN LATERAL (SELECT x.reported_number, x.reporter FROM reports x
                               WHERE x.reporter = rp.reporter ORDER BY x.received_at DESC LIMIT 100) o
          WHERE o.reported_number <> (SELECT reported_number FROM me)
          GROUP BY o.reported_number),
       texts AS (SELECT DISTINCT text_key AS k FROM latest WHERE text_key IS NOT NULL LIMIT 10),
       by_text AS (
         SELECT o.reported_number, count(DISTINCT t.k)::int AS shared
           FROM texts t
          CROSS JOIN LATERAL (SELECT x.reported_number FROM reports x
                               WHERE x.text_key = t.k AND x.text_key IS NOT NULL
                               ORDER BY x.received_at DESC LIMIT 200) o
          WHERE o.reported_number <> (SELECT reported_number FROM me)
          GROUP BY o.reported_number),
       by_block AS (
         SELECT b.reported_number FROM flags b, me
          WHERE ${BLOCK('b.reported_number')} = ${BLOCK('me.reported_number')} AND b.id <> me.id LIMIT 50),
       candidates AS (SELECT reported_number FROM by_reporter UNION SELECT reported_number FROM by_text
                      UNION SELECT reported_number FROM by_block)
       SELECT ${FLAG_COLUMNS}, coalesce(br.shared, 0) AS shared_reporters, coalesce(bt.shared, 0) AS shared_texts,
              (bb.reported_number IS NOT NULL) AS same_block
         FROM candidates k
         JOIN flags f ON f.reported_number = k.reported_number
         LEFT JOIN subscriber_counters c ON c.reported_number = f.reported_number
         LEFT JOIN by_reporter br ON br.reported_number = f.reported_number
         LEFT JOIN by_text bt ON bt.reported_number = f.reported_number
         LEFT JOIN by_block bb ON bb.reported_number = f.reported_number
        ORDER BY shared_reporters DESC, shared_texts DESC, same_block DESC, f.id
        LIMIT $2`,
      [flagId, limit],
    );
  }
}

/** A statement and its parameters, apart so that test/read-path-plans can explain it. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Within the queue's statuses the count says so in fixed words too: a parameter's statuses do not
 * tell the planner that the partial indexes of the queue hold every match, and it would read the
 * whole table rather than their entries.
 */
export function countStatement(filter: FlagFilter): Statement {
  const c = filterConditions(filter);
  const inQueue = filter.status?.every((s) => (QUEUE_STATUSES as readonly string[]).includes(s));
  const extra = inQueue ? [`f.status IN ('open', 'in_review')`] : [];
  return { sql: `SELECT count(*) AS n FROM ${FROM_FLAGS} ${c.where(extra)}`, params: c.params };
}

export function dueSoonStatement(sla: QueueSla, now: Date, horizons: readonly number[]): Statement {
  const params: unknown[] = [now.toISOString(), Math.max(...horizons)];
  const p = (value: unknown) => `$${params.push(value)}`;
  const branches = QUEUE_STATUSES.flatMap((status) =>
    SEVERITIES.map((severity) => {
      const slaParam = p(sla[status][severity]);
      const due = `(f.sla_started_at + ${ms(slaParam)})`;
      const within = horizons.map(
        (h, i) =>
          `count(*) FILTER (WHERE ${due} > $1::timestamptz AND ${due} <= $1::timestamptz + ${ms(p(h))})::int AS w${i}`,
      );
      // Only fixed strings from the lists above are spliced in.
      return `(SELECT '${status}' AS status, '${severity}' AS severity,
                      count(*) FILTER (WHERE ${due} <= $1::timestamptz)::int AS overdue, ${within.join(', ')}
                 FROM flags f
                WHERE f.status = '${status}' AND f.severity = '${severity}'
                  AND f.sla_started_at <= $1::timestamptz + ($2::bigint - ${slaParam}::bigint) * interval '1 millisecond')`;
    }),
  );
  return { sql: branches.join(' UNION ALL '), params };
}
