import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Opens a transaction for a service, so the service can be built with a fake that runs the work
 * without a database (repositories' methods that join it take the manager first).
 */
@Injectable()
export class Transactions {
  constructor(private readonly dataSource: DataSource) {}

  /** No transaction: for a store's read that needs none (each statement on its own). */
  get outside(): EntityManager {
    return this.dataSource.manager;
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Several reads from one committed state: a read-only REPEATABLE READ transaction, whose
   * statements all see the database as it was at the first. Read side by side on separate
   * connections, a page could show counters that count a report its list of reports does not
   * have yet, and an ETag name a state that never existed.
   */
  readSnapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      return work(manager);
    });
  }
}
