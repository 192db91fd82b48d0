/**
 * SQL that reads and locks the rows whose key is in $1 (a text array, sorted by the caller),
 * one index lookup per key, locked in the array's order so that writers never deadlock.
 *
 * `key = ANY($1)` would be planned as a scan of the whole table whenever the table looks small
 * next to the array (a new database, statistics behind): a cost that grows with every row.
 */
export function lockedRowsInOrder(table: string, key: string, columns: string): string {
  return `SELECT t.* FROM unnest($1::text[]) AS wanted(key)
    CROSS JOIN LATERAL (SELECT ${columns} FROM ${table} WHERE ${key} = wanted.key FOR UPDATE) t`;
}
