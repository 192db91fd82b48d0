import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { FlagTransition } from '@abuse-monitor/domain';
import type { CountersRow, FlagRow, HistoryRow, QueueFlagRow, ReportViewRow, SourceRow } from './flag-rows';
import type { FlagCursor, FlagFilter, FlagSort } from './flag-queue';
import { filterConditions, FLAG_COLUMNS, FROM_FLAGS, RANK } from './flag-conditions';
import { saveTransitions } from './save-transitions';
import { countersFromReports, MAX_ROWLESS_REPORTS, RowlessReportRow } from './counters-from-reports';

/** Flags and their history: the review queue, a flag's page, and the changes people make. */
@Injectable()
export class FlagsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    filter: FlagFilter,
    sort: FlagSort,
    after: FlagCursor | undefined,
    limit: number,
  ): Promise<QueueFlagRow[]> {
    const c = filterConditions(filter);
    let order: string;
    switch (sort) {
      case 'urgency':
        // It needs the SLAs and one index scan per stage and severity: FlagQueueRepository.page.
        throw new Error('the urgency order is read through FlagQueueRepository');
      case 'severity':
        // Most severe first, as the ascending order of the negated rank: the order of the index
        // made for it (migration ReadPathIndexes), where the cursor's condition below starts a scan.
        order = `-(${RANK}), f.opened_at, f.id`;
        if (after) {
          c.params.push(after.rank, after.openedAt, after.id);
          const [r, t, i] = [c.params.length - 2, c.params.length - 1, c.params.length];
          c.sql.push(`(-(${RANK}), f.opened_at, f.id) > (-($${r}::int), $${t}::timestamptz, $${i}::bigint)`);
        }
        break;
      case 'oldest':
        order = `f.opened_at ASC, f.id ASC`;
        if (after) {
          c.params.push(after.openedAt, after.id);
          c.sql.push(
            `(f.opened_at, f.id) > ($${c.params.length - 1}::timestamptz, $${c.params.length}::bigint)`,
          );
        }
        break;
      case 'newest':
        order = `f.opened_at DESC, f.id DESC`;
        if (after) {
          c.params.push(after.openedAt, after.id);
          c.sql.push(
            `(f.opened_at, f.id) < ($${c.params.length - 1}::timestamptz, $${c.params.length}::bigint)`,
          );
        }
        break;
    }
    c.params.push(limit);
    return this.dataSource.query(
      `SELECT ${FLAG_COLUMNS} FROM ${FROM_FLAGS} ${c.where()} ORDER BY ${order} LIMIT $${c.params.length}`,
      c.params,
    );
  }

  async byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<QueueFlagRow | null> {
    const rows: QueueFlagRow[] = await manager.query(
      `SELECT ${FLAG_COLUMNS} FROM ${FROM_FLAGS} WHERE f.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async byNumber(
    reportedNumber: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<QueueFlagRow | null> {
    const rows: QueueFlagRow[] = await manager.query(
      `SELECT ${FLAG_COLUMNS} FROM ${FROM_FLAGS} WHERE f.reported_number = $1`,
      [reportedNumber],
    );
    return rows[0] ?? null;
  }

  history(flagId: string, manager: EntityManager = this.dataSource.manager): Promise<HistoryRow[]> {
    return manager.query(`SELECT * FROM flag_history WHERE flag_id = $1 ORDER BY sequence`, [flagId]);
  }

  /**
   * The number's counters; for a number without a row (reported once, never flagged: decision
   * 0083), what its row would hold, counted from its reports. Null when it has no report.
   */
  async counters(
    reportedNumber: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CountersRow | null> {
    const rows: CountersRow[] = await manager.query(
      `SELECT * FROM subscriber_counters WHERE reported_number = $1`,
      [reportedNumber],
    );
    if (rows[0]) return rows[0];
    const reports: RowlessReportRow[] = await manager.query(
      `SELECT report_id, reporter, agent_id, kind, category, number_type, carrier, received_at, weighted
         FROM reports WHERE reported_number = $1 ORDER BY received_at, report_id LIMIT $2`,
      [reportedNumber, MAX_ROWLESS_REPORTS],
    );
    return countersFromReports(reports, new Date());
  }

  recentReports(
    reportedNumber: string,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ReportViewRow[]> {
    return manager.query(
      `SELECT report_id, reporter, channel, short_code, agent_id, kind, category, content, received_at, weighted
         FROM reports WHERE reported_number = $1 ORDER BY received_at DESC, report_id LIMIT $2`,
      [reportedNumber, limit],
    );
  }

  /**
   * Who stands behind the reports that count towards the flag (weighted, received after its
   * floor, in the longest window before the latest): one row for SMS reporters (agent null), one
   * per agent. The window keeps the answer as bounded as the rules' own reach.
   */
  sources(
    reportedNumber: string,
    countsReportsAfter: Date | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SourceRow[]> {
    return manager.query(
      `SELECT agent_id, count(*)::int AS reports, count(DISTINCT reporter)::int AS reporters
         FROM reports
        WHERE reported_number = $1 AND weighted
          AND ($2::timestamptz IS NULL OR received_at > $2::timestamptz)
          AND received_at > (SELECT max(received_at) FROM reports WHERE reported_number = $1) - interval '30 days'
        GROUP BY agent_id
        ORDER BY agent_id NULLS FIRST`,
      [reportedNumber, countsReportsAfter?.toISOString() ?? null],
    );
  }

  /** The definition of the rule version that set the flag's severity. */
  async ruleVersion(
    ruleId: string,
    version: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Record<string, unknown> | null> {
    const rows: { definition: Record<string, unknown> }[] = await manager.query(
      `SELECT definition FROM rule_versions WHERE id = $1 AND version = $2`,
      [ruleId, version],
    );
    return rows[0]?.definition ?? null;
  }

  /** The flag, locked until the caller's transaction ends, or null. */
  async lockById(manager: EntityManager, id: string): Promise<FlagRow | null> {
    const rows: FlagRow[] = await manager.query(`SELECT * FROM flags WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** When the flag last entered the queue (opened or reopened) before the history entry `sequence`. */
  async enteredQueueBefore(manager: EntityManager, flagId: string, sequence: number): Promise<Date | null> {
    const [opening]: { at: Date | null }[] = await manager.query(
      `SELECT max(occurred_at) AS at FROM flag_history
        WHERE flag_id = $1 AND change IN ('opened', 'reopened') AND sequence < $2`,
      [flagId, sequence],
    );
    return opening?.at ?? null;
  }

  saveTransitions(
    manager: EntityManager,
    transitions: readonly FlagTransition[],
    flagsTopic: string,
  ): Promise<void> {
    return saveTransitions(manager, transitions, flagsTopic);
  }
}
