import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AppealChannel, AppealStatus } from '@abuse-monitor/domain';

export interface AppealRow {
  id: string;
  flag_id: string;
  reported_number: string;
  statement: string;
  channel: AppealChannel;
  appealed_action: string;
  recorded_by: string;
  received_at: Date;
  due_at: Date;
  status: AppealStatus;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
  version: number;
}

export interface NewAppeal {
  flagId: string;
  reportedNumber: string;
  statement: string;
  channel: AppealChannel;
  appealedAction: string;
  recordedBy: string;
  receivedAt: Date;
  dueAt: Date;
}

export interface AppealFilter {
  status?: AppealStatus;
  /** true: pending past their due date at `now`; false: all but those. */
  overdue?: boolean;
  now: Date;
}

/** Where the previous page ended, in the SLA order (due date, then id). */
export interface AppealCursor {
  dueAt: string;
  id: string;
}

/** The latest appeal of each flag, for the queue's summary of it. */
export type AppealSummaryRow = Pick<AppealRow, 'id' | 'flag_id' | 'status' | 'due_at' | 'received_at'>;

/** Appeals against actions on numbers (decision 0064): one table, its statements here. */
@Injectable()
export class AppealsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The appeal as recorded, or null when the flag already has a pending one (the partial unique index). */
  async insert(manager: EntityManager, appeal: NewAppeal): Promise<AppealRow | null> {
    const rows: AppealRow[] = await manager.query(
      `INSERT INTO appeals (flag_id, reported_number, statement, channel, appealed_action, recorded_by,
                            received_at, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (flag_id) WHERE status = 'pending' DO NOTHING
       RETURNING *`,
      [
        appeal.flagId,
        appeal.reportedNumber,
        appeal.statement,
        appeal.channel,
        appeal.appealedAction,
        appeal.recordedBy,
        appeal.receivedAt,
        appeal.dueAt,
      ],
    );
    return rows[0] ?? null;
  }

  async byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<AppealRow | null> {
    const rows: AppealRow[] = await manager.query(`SELECT * FROM appeals WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async lockById(manager: EntityManager, id: string): Promise<AppealRow | null> {
    const rows: AppealRow[] = await manager.query(`SELECT * FROM appeals WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Records the decision on a pending appeal (the caller holds its lock); the row after it. */
  async decide(
    manager: EntityManager,
    id: string,
    decision: { status: Exclude<AppealStatus, 'pending'>; decidedBy: string; decidedAt: Date; note: string },
  ): Promise<AppealRow> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows]: [AppealRow[], number] = await manager.query(
      `UPDATE appeals SET status = $2, decided_by = $3, decided_at = $4, note = $5, version = version + 1
        WHERE id = $1 AND status = 'pending'
       RETURNING *`,
      [id, decision.status, decision.decidedBy, decision.decidedAt, decision.note],
    );
    if (rows.length !== 1) throw new Error(`appeal ${id} is not pending: lock it and check before deciding`);
    return rows[0];
  }

  /**
   * A page in SLA order: the appeal due first comes first, whatever its status, so the pending ones
   * nearest their due date lead a list of pending appeals (the partial index's order).
   */
  list(filter: AppealFilter, after: AppealCursor | null, limit: number): Promise<AppealRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
    if (filter.overdue === true) where.push(`status = 'pending' AND due_at <= ${param(filter.now)}`);
    if (filter.overdue === false) where.push(`NOT (status = 'pending' AND due_at <= ${param(filter.now)})`);
    if (after) where.push(`(due_at, id) > (${param(after.dueAt)}::timestamptz, ${param(after.id)}::bigint)`);
    const sql = `SELECT * FROM appeals ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY due_at, id LIMIT ${param(limit)}`;
    return this.dataSource.query(sql, params);
  }

  /** Every appeal of a flag, oldest first. */
  forFlag(flagId: string): Promise<AppealRow[]> {
    return this.dataSource.query(`SELECT * FROM appeals WHERE flag_id = $1 ORDER BY id`, [flagId]);
  }

  /** The latest appeal of each of these flags (none for a flag never appealed). */
  latestForFlags(flagIds: readonly string[]): Promise<AppealSummaryRow[]> {
    if (flagIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT DISTINCT ON (flag_id) id, flag_id, status, due_at, received_at FROM appeals
        WHERE flag_id = ANY($1::bigint[]) ORDER BY flag_id, id DESC`,
      [flagIds],
    );
  }
}
