import { EntityManager } from 'typeorm';
import { binaryTextArray } from '../binary-array';

/**
 * Reads and locks the rows of `table` whose `key` is one of `keys`, one index lookup per key, in
 * the keys' sorted order so that writers never deadlock.
 *
 * `key = ANY($1)` would be planned as a scan of the whole table whenever the table looks small
 * next to the array (a new database, statistics behind): a cost that grows with every row.
 */
export function lockedRows<T>(
  manager: EntityManager,
  table: string,
  key: string,
  columns: string,
  keys: readonly string[],
): Promise<T[]> {
  return manager.query(
    `SELECT t.* FROM unnest($1::text[]) AS wanted(key)
      CROSS JOIN LATERAL (SELECT ${columns} FROM ${table} WHERE ${key} = wanted.key FOR UPDATE) t`,
    [binaryTextArray([...keys].sort())],
  );
}
