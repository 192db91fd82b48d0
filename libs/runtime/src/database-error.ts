/**
 * PostgreSQL's errors in words safe for logs. Its `detail` quotes the row or key a statement was
 * refused for ("Key (reporter)=(+84912345678) already exists", "Failing row contains (...)"), and
 * the message of a data exception (SQLSTATE class 22) quotes the value ('invalid input syntax for
 * type uuid: "..."'): both can hold a reporter's number or a report's text. What stays is enough
 * to find the cause: the SQLSTATE, the table, column and constraint, and the message where it
 * names only schema objects.
 */

const SQLSTATE = /^[0-9A-Z]{5}$/;
/** Data exceptions: their messages quote the value refused. */
const VALUE_QUOTING_CLASSES = ['22'];
const MAX_MESSAGE_CHARS = 300;

type Fields = Record<string, unknown>;

function fieldsOf(error: unknown): Fields | null {
  return typeof error === 'object' && error !== null ? (error as Fields) : null;
}

/**
 * The driver's error: pg's DatabaseError has a SQLSTATE `code` and a `severity`; TypeORM's
 * QueryFailedError keeps it as `driverError`.
 */
function postgresErrorOf(error: unknown): Fields | null {
  const fields = fieldsOf(error);
  if (fields === null) return null;
  if (typeof fields.code === 'string' && SQLSTATE.test(fields.code) && typeof fields.severity === 'string')
    return fields;
  return fields.driverError === undefined ? null : postgresErrorOf(fields.driverError);
}

/** A description of a PostgreSQL error without the values it quotes, or null for other errors. */
export function describeDatabaseError(error: unknown): string | null {
  const postgres = postgresErrorOf(error);
  if (postgres === null) return null;
  const code = postgres.code as string;
  const where = (['table', 'column', 'constraint'] as const)
    .filter((field) => typeof postgres[field] === 'string')
    .map((field) => `, ${field} ${String(postgres[field])}`)
    .join('');
  const message = typeof postgres.message === 'string' ? postgres.message : '';
  const quotesValues = VALUE_QUOTING_CLASSES.some((prefix) => code.startsWith(prefix));
  const said = quotesValues || message === '' ? '' : `: ${message.slice(0, MAX_MESSAGE_CHARS)}`;
  return `PostgreSQL error SQLSTATE ${code}${where}${said}`;
}
