import { describeDatabaseError } from './database-error';
import { describeError } from './retry-with-backoff';

/** As pg's DatabaseError carries them. */
function postgresError(fields: Record<string, string>): Error {
  return Object.assign(new Error(fields.message), { severity: 'ERROR', ...fields });
}

/** As TypeORM's QueryFailedError carries them: the driver's fields copied, and the parameters. */
function queryFailed(driverError: Error): Error {
  return Object.assign(new Error(driverError.message), {
    ...driverError,
    query: 'INSERT INTO "reporters" ("reporter") VALUES ($1)',
    parameters: ['+84912345678'],
    driverError,
  });
}

const uniqueViolation = postgresError({
  message: 'duplicate key value violates unique constraint "reporters_pkey"',
  code: '23505',
  detail: 'Key (reporter)=(+84912345678) already exists.',
  table: 'reporters',
  constraint: 'reporters_pkey',
});

const invalidInput = postgresError({
  message: 'invalid input syntax for type uuid: "+84912345678"',
  code: '22P02',
});

describe('describeDatabaseError', () => {
  it('keeps the SQLSTATE, the table and constraint and a message that names only schema objects', () => {
    expect(describeDatabaseError(uniqueViolation)).toBe(
      'PostgreSQL error SQLSTATE 23505, table reporters, constraint reporters_pkey: duplicate key value violates unique constraint "reporters_pkey"',
    );
  });

  it("leaves out a data exception's message, which quotes the value", () => {
    expect(describeDatabaseError(invalidInput)).toBe('PostgreSQL error SQLSTATE 22P02');
  });

  it("reads TypeORM's QueryFailedError and never its detail or parameters", () => {
    for (const error of [queryFailed(uniqueViolation), queryFailed(invalidInput)]) {
      const described = describeDatabaseError(error) ?? '';
      expect(described).toMatch(/^PostgreSQL error SQLSTATE/);
      expect(described).not.toContain('912345678');
    }
  });

  it('is null for errors that are not PostgreSQL errors', () => {
    expect(describeDatabaseError(new Error('connect ECONNREFUSED'))).toBeNull();
    expect(describeDatabaseError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeNull();
    expect(describeDatabaseError('text')).toBeNull();
    expect(describeDatabaseError(null)).toBeNull();
  });
});

describe('describeError', () => {
  it('describes a database error without the values it quotes', () => {
    expect(describeError(queryFailed(invalidInput))).toBe('PostgreSQL error SQLSTATE 22P02');
  });

  it('gives the message of any other error', () => {
    expect(describeError(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(
      'connect ECONNREFUSED 127.0.0.1:5432',
    );
  });
});
