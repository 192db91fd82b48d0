import type { EntityManager } from 'typeorm';

/**
 * An open transaction, handed to repository methods that must run in the caller's: what an app
 * holds without importing TypeORM (and what a fake repository passes along unread).
 */
export type Transaction = EntityManager;
