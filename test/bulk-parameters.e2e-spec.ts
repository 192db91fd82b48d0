import fc from 'fast-check';
import { Client } from 'pg';
import { numberArray, textArray, timestampFromEpochMs } from '@abuse-monitor/persistence';
import { TEST_POSTGRES_URL } from './support/test-database';

/** The aggregator's bulk parameters, read back by the real PostgreSQL. */
describe('bulk statement parameters', () => {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('turn epoch milliseconds into the same instant, to the millisecond, in years 1 to 9999', async () => {
    const instants = fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) });
    await fc.assert(
      fc.asyncProperty(fc.array(instants, { minLength: 1, maxLength: 200 }), async (ms) => {
        const { rows } = await client.query<{ exact: boolean }>(
          `SELECT ${timestampFromEpochMs('ms')} = timestamptz 'epoch' + (ms / 1000) * interval '1 second'
                                                 + (ms % 1000) * interval '1 millisecond' AS exact
             FROM unnest($1::bigint[]) AS u(ms)`,
          [numberArray(ms)],
        );
        expect(rows.every((r) => r.exact)).toBe(true);
      }),
      { numRuns: 50 },
    );
    const { rows } = await client.query<{ at: Date }>(
      `SELECT ${timestampFromEpochMs('ms')} AS at FROM unnest($1::bigint[]) AS u(ms)`,
      [numberArray([Date.UTC(2250, 5, 1, 12, 0, 0, 770), Date.UTC(1860, 0, 1, 0, 0, 0, 1)])],
    );
    expect(rows.map((r) => r.at.toISOString())).toEqual([
      '2250-06-01T12:00:00.770Z',
      '1860-01-01T00:00:00.001Z',
    ]);
  });

  it('read text back exactly as sent, quotes, backslashes, braces, "NULL" and empty strings included', async () => {
    // PostgreSQL text holds no NUL; storableText replaces it before anything is stored.
    const text = fc.string({ unit: 'grapheme' }).map((s) => s.split('\u0000').join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 50 }), async (values) => {
        const { rows } = await client.query<{ values: (string | null)[] }>('SELECT $1::text[] AS values', [
          textArray(values),
        ]);
        expect(rows[0].values).toEqual(values);
      }),
      { numRuns: 100 },
    );
    const edge = ['NULL', '', ' ', '{a,b}', 'x"y', 'back\\slash', null];
    const { rows } = await client.query<{ values: (string | null)[] }>('SELECT $1::text[] AS values', [
      textArray(edge),
    ]);
    expect(rows[0].values).toEqual(edge);
  });
});
