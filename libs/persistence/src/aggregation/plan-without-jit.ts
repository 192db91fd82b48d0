import { EntityManager } from 'typeorm';

/**
 * Turns PostgreSQL's JIT off for the rest of the transaction (decision 0083). The aggregator's
 * statements look rows up by key; on a table whose statistics lag, the planner costs a batch's
 * thousands of lookups above `jit_above_cost`, and LLVM spent 45 ms compiling for 4 ms of work,
 * every batch. SET LOCAL rather than a connection option: PgBouncer refuses startup options.
 */
export async function planWithoutJit(manager: EntityManager): Promise<void> {
  await manager.query('SET LOCAL jit = off');
}
