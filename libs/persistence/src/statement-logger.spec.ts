import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { StatementLogger, statementForLog } from './statement-logger';

const failed = Object.assign(new Error('new row for relation "reports" violates check constraint "c"'), {
  severity: 'ERROR',
  code: '23514',
  table: 'reports',
  constraint: 'c',
  detail: 'Failing row contains (+84912345678, noi dung bi mat).',
});

describe('StatementLogger', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs a failed statement with its SQLSTATE and never its parameters or the detail', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    // As TypeORM calls it, parameters included.
    const logger: TypeOrmLogger = new StatementLogger();
    logger.logQueryError(failed, 'INSERT INTO reports (reporter, content)\n  VALUES ($1, $2)', [
      '+84912345678',
      'noi dung bi mat',
    ]);
    expect(error).toHaveBeenCalledTimes(1);
    const line = String(error.mock.calls[0]?.[0]);
    expect(line).toBe(
      'statement failed (PostgreSQL error SQLSTATE 23514, table reports, constraint c: new row for relation "reports" violates check constraint "c"): INSERT INTO reports (reporter, content) VALUES ($1, $2)',
    );
  });

  it('logs nothing for statements that succeed', () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    new StatementLogger().logQuery();
    expect(log).not.toHaveBeenCalled();
  });
});

describe('statementForLog', () => {
  it('drops quoted literals, which might hold a value, and keeps the statement on one line', () => {
    expect(statementForLog("SELECT 1\n  FROM reports WHERE reporter = '+84912345678' AND x = 'it''s'")).toBe(
      "SELECT 1 FROM reports WHERE reporter = '…' AND x = '…'",
    );
  });

  it('cuts a long statement', () => {
    expect(statementForLog(`SELECT ${'x, '.repeat(1000)}1`).length).toBeLessThanOrEqual(401);
  });
});
