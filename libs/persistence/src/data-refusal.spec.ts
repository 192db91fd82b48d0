import { QueryFailedError } from 'typeorm';
import { RefusedArrayElement } from './binary-array';
import { describeDataRefusal, isDataRefusal, violatesUnique } from './data-refusal';

/** As pg raises it: the message and detail quote the value. */
function pgError(code: string, fields: Record<string, string> = {}) {
  return Object.assign(new Error('invalid input syntax for type uuid: "+84912345678"'), {
    code,
    detail: 'Failing row contains (+84912345678, ...)',
    ...fields,
  });
}

/** As TypeORM rethrows it. */
const typeormError = (driverError: Error) => new QueryFailedError('INSERT ...', [], driverError);

describe('isDataRefusal', () => {
  it.each([
    ['22007', 'a date-time it cannot read'],
    ['22008', 'a date-time out of range (year 0000)'],
    ['22P02', 'text that is not of the type'],
    ['22021', 'bytes that are not UTF-8'],
    ['54001', 'JSON nested past the stack'],
    ['23502', 'a NOT NULL column left empty'],
    ['23514', 'a CHECK constraint'],
  ])('is true for SQLSTATE %s, %s, whether or not TypeORM wraps it', (code) => {
    expect(isDataRefusal(pgError(code))).toBe(true);
    expect(isDataRefusal(typeormError(pgError(code)))).toBe(true);
  });

  it.each([
    ['23505', 'a unique key two writers raced for'],
    ['23503', 'a foreign key whose row another transaction adds'],
    ['40001', 'a serialization failure'],
    ['40P01', 'a deadlock'],
    ['57P01', 'an administrator shutting the server down'],
    ['08006', 'a broken connection'],
    ['53300', 'too many connections'],
  ])('is false for SQLSTATE %s, %s: a retry gets past it', (code) => {
    expect(isDataRefusal(pgError(code))).toBe(false);
    expect(isDataRefusal(typeormError(pgError(code)))).toBe(false);
  });

  it('is true for a RangeError from a value too deep or long, and false for other errors', () => {
    expect(isDataRefusal(new RangeError('Maximum call stack size exceeded'))).toBe(true);
    expect(isDataRefusal(new RangeError('Invalid string length'))).toBe(true);
    // Memory running short passes; the message is not at fault.
    expect(isDataRefusal(new RangeError('Array buffer allocation failed'))).toBe(false);
    expect(isDataRefusal(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      false,
    );
    expect(isDataRefusal(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isDataRefusal('a string')).toBe(false);
  });
});

describe('describeDataRefusal', () => {
  it('gives the SQLSTATE and where, never the value PostgreSQL quotes', () => {
    const error = typeormError(pgError('23514', { table: 'reports', constraint: 'reports_check' }));
    expect(describeDataRefusal(error)).toBe(
      'PostgreSQL refused it (SQLSTATE 23514), table reports, constraint reports_check',
    );
    expect(describeDataRefusal(pgError('22P02'))).toBe('PostgreSQL refused it (SQLSTATE 22P02)');
    expect(describeDataRefusal(typeormError(pgError('22P02')))).not.toContain('+849');
  });

  it('says an array parameter was refused before it was sent, and which element', () => {
    expect(describeDataRefusal(new RefusedArrayElement('element 3 is not a uuid', '22P02'))).toBe(
      'refused before PostgreSQL, as it would have (SQLSTATE 22P02): element 3 is not a uuid',
    );
  });

  it('names a JavaScript error by its name and message', () => {
    expect(describeDataRefusal(new RangeError('Maximum call stack size exceeded'))).toBe(
      'RangeError: Maximum call stack size exceeded',
    );
  });
});

describe('violatesUnique', () => {
  it('is true for a unique violation of that constraint, whether or not TypeORM wraps it', () => {
    const stored = pgError('23505', { constraint: 'reports_pkey' });
    expect(violatesUnique(stored, 'reports_pkey')).toBe(true);
    expect(violatesUnique(typeormError(stored), 'reports_pkey')).toBe(true);
  });

  it('is false for another constraint, another SQLSTATE, or no database error', () => {
    expect(violatesUnique(pgError('23505', { constraint: 'flags_pkey' }), 'reports_pkey')).toBe(false);
    expect(violatesUnique(pgError('23503', { constraint: 'reports_pkey' }), 'reports_pkey')).toBe(false);
    expect(violatesUnique(new Error('connection terminated'), 'reports_pkey')).toBe(false);
  });
});
