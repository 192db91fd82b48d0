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
}
