import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** What a decision writes and reads beside the flag's transition (decision 0047). */
@Injectable()
export class FlagDecisionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The flag's watch date: set when it is watched, cleared when it leaves being watched. */
  async setWatchUntil(manager: EntityManager, flagId: string, until: Date | null): Promise<void> {
    await manager.query(`UPDATE flags SET watch_until = $2 WHERE id = $1`, [
      flagId,
      until?.toISOString() ?? null,
    ]);
  }

  async watchUntil(flagId: string): Promise<Date | null> {
    const rows: { watch_until: Date | null; status: string }[] = await this.dataSource.query(
      `SELECT watch_until, status FROM flags WHERE id = $1`,
      [flagId],
    );
    const row = rows[0];
    return row && row.status === 'watched' ? row.watch_until : null;
  }
}
