import { RefusedArrayElement } from './binary-array';

/**
 * Whether the database refused a statement for the data in it, so that the same data would be
 * refused on every retry: SQLSTATE class 22 (a value it cannot take), 54 (nested or long beyond
 * its limits), the NOT NULL and CHECK constraints, or JavaScript running out of stack or string on
 * a value. Unique and foreign-key violations are left out: two writers racing produce those, and a
 * retry gets past them. So is everything else (connection, deadlock, serialization, shutdown).
 */
export function isDataRefusal(error: unknown): boolean {
  const code = sqlState(error);
  // A value so deep or long that the stack or a string ran out on it; not a failed allocation.
  if (code === null) return error instanceof RangeError && /call stack|string length/i.test(error.message);
  return code.startsWith('22') || code.startsWith('54') || code === '23502' || code === '23514';
}

/**
 * The refusal in words safe for logs: the SQLSTATE and where, never PostgreSQL's message or
 * detail, which quote the refused value (a reporter's number, say).
 */
export function describeDataRefusal(error: unknown): string {
  if (error instanceof RefusedArrayElement) {
    return `refused before PostgreSQL, as it would have (SQLSTATE ${error.code}): ${error.message}`;
  }
  const code = sqlState(error);
  if (code === null) return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const where = (['table', 'column', 'constraint'] as const)
    .map((field) => [field, fieldOf(error, field)] as const)
    .filter(([, value]) => value !== null)
    .map(([field, value]) => `${field} ${value}`);
  return [`PostgreSQL refused it (SQLSTATE ${code})`, ...where].join(', ');
}

/** TypeORM copies the driver's fields onto its QueryFailedError and keeps the original as driverError. */
function fieldOf(error: unknown, field: 'code' | 'table' | 'column' | 'constraint'): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const own = (error as Record<string, unknown>)[field];
  if (typeof own === 'string') return own;
  const driverError = (error as { driverError?: unknown }).driverError;
  return driverError === undefined ? null : fieldOf(driverError, field);
}

function sqlState(error: unknown): string | null {
  const code = fieldOf(error, 'code');
  return code !== null && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** Whether the statement broke this unique constraint (SQLSTATE 23505): a row with its key is stored. */
export function violatesUnique(error: unknown, constraint: string): boolean {
  return sqlState(error) === '23505' && fieldOf(error, 'constraint') === constraint;
}

/** For a consumer's set-aside: which failures are the data's, and their cause in words safe for logs. */
export const DATA_REFUSALS = { isPermanent: isDataRefusal, describe: describeDataRefusal };
