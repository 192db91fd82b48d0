import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DailySummary } from '@abuse-monitor/domain';

/** The daily summaries the scheduler stores after each day. */
@Injectable()
export class SummariesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The summary of a day (YYYY-MM-DD), or null when none was made. */
  async daily(day: string): Promise<DailySummary | null> {
    const rows: { summary: DailySummary }[] = await this.dataSource.query(
      `SELECT summary FROM daily_summaries WHERE day = $1`,
      [day],
    );
    return rows[0]?.summary ?? null;
  }
}
