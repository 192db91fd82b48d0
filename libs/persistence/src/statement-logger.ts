import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { describeError } from '@abuse-monitor/runtime';

/** A statement longer than this is cut in the log: its start says which one it was. */
const MAX_STATEMENT_CHARS = 400;
/** A quoted literal, which a statement built elsewhere might carry in place of a parameter. */
const STRING_LITERAL = /'(?:[^']|'')*'/g;

/** A statement as one line, without literals, cut to a readable length. */
export function statementForLog(query: string): string {
  const line = query.replace(STRING_LITERAL, "'…'").replace(/\s+/g, ' ').trim();
  return line.length > MAX_STATEMENT_CHARS ? `${line.slice(0, MAX_STATEMENT_CHARS)}…` : line;
}

/**
 * TypeORM's logger, without the parameters: TypeORM's own loggers print a failed statement with
 * its parameters (reporters' numbers, report texts) straight to the console, past the masking of
 * the app's logger. This one logs the statement and the error's SQLSTATE, table and constraint
 * through Nest's logger, and never a parameter, whatever the log level.
 */
export class StatementLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  /** Every statement passes here; logging them is for a debugger, not for the apps. */
  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    const cause = typeof error === 'string' ? 'error' : describeError(error);
    this.logger.error(`statement failed (${cause}): ${statementForLog(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow statement (${time} ms): ${statementForLog(query)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : '(TypeORM message)';
    if (level === 'warn') this.logger.warn(text);
    else this.logger.log(text);
  }
}
