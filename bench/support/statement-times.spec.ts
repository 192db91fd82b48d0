import { statementLabel } from './statement-times';

describe('statementLabel', () => {
  it('names a write by its verb and table', () => {
    expect(
      statementLabel('INSERT INTO reports (report_id)\n   SELECT id FROM unnest($1::uuid[]) AS b(id)'),
    ).toBe('INSERT INTO reports');
    expect(statementLabel('UPDATE outbox SET published_at = now() WHERE id = ANY($1)')).toBe('UPDATE outbox');
  });

  it('names a WITH by the first table it writes', () => {
    expect(
      statementLabel(
        'WITH s AS (SELECT * FROM unnest($1::text[]) AS s(n)), updated AS (UPDATE flags f SET n = s.n FROM s) ' +
          'INSERT INTO flag_history SELECT 1',
      ),
    ).toBe('WITH … UPDATE flags');
  });

  it('names a read by the first table after unnest and LATERAL, and says when it locks', () => {
    expect(
      statementLabel(
        'SELECT t.* FROM unnest($1::text[]) AS wanted(key) CROSS JOIN LATERAL (SELECT reported_number ' +
          'FROM subscriber_counters WHERE reported_number = wanted.key FOR UPDATE) t',
      ),
    ).toBe('SELECT … FROM subscriber_counters FOR UPDATE');
    expect(statementLabel('SELECT o.id FROM (SELECT 1 AS locked) AS relay JOIN outbox o ON true')).toBe(
      'SELECT … FROM outbox',
    );
  });

  it('keeps anything else as it is, cut short', () => {
    expect(statementLabel('SET LOCAL jit = off')).toBe('SET LOCAL jit = off');
    expect(statementLabel(`SELECT ${'x, '.repeat(40)}1`)).toHaveLength(48);
  });
});
