import type { EntityManager } from 'typeorm';
import type { Transactions } from '../repositories/transactions';

/**
 * A fake of a repository or store for a unit test: only the methods the code under test calls,
 * in memory. A method left out fails the test with a TypeError when called, which is the point.
 */
export function fake<T>(methods: Partial<T>): T {
  return methods as T;
}

/** The manager a fake transaction hands over: fake repositories take it and leave it alone. */
export const FAKE_MANAGER = Object.freeze({ fake: 'EntityManager' }) as unknown as EntityManager;

/** Runs the work at once, as a transaction that always commits. */
export function fakeTransactions(): Transactions {
  return fake<Transactions>({
    run: (work) => work(FAKE_MANAGER),
    readSnapshot: (work) => work(FAKE_MANAGER),
    outside: FAKE_MANAGER,
  });
}
