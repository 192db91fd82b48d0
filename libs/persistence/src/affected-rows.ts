/** TypeORM answers UPDATE and DELETE with [rows, rowCount], and other statements with the rows. */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}
