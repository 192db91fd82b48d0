import { statementLabel } from './statement-times';

// Statements as the repositories in libs/persistence send them (abridged where long).
const REPORTERS_ADD = `INSERT INTO reporters (reporter, standing, first_seen_at, last_seen_at, total_reports)
       SELECT r, 'normal', to_timestamp(f / 1000), to_timestamp(l / 1000), n
         FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS b(r, f, l, n)
       ON CONFLICT (reporter) DO NOTHING
       RETURNING reporter`;
const REPORTERS_SAVE = `INSERT INTO reporters (reporter, standing, suspicious_since, first_seen_at, last_seen_at, total_reports)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::bigint[])
       ON CONFLICT (reporter) DO UPDATE SET
         standing = EXCLUDED.standing`;
const OUTBOX_BACKLOG = `SELECT count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::float8 AS age
         FROM outbox WHERE published_at IS NULL`;
const ASSESSMENTS_SAVE = `WITH assessed AS MATERIALIZED (
         SELECT * FROM unnest($1::bigint[], $2::text[]) AS a(id, version)),
       still_as_read AS MATERIALIZED (
         SELECT f.id FROM flags f JOIN assessed a ON a.id = f.id AND f.xmin::text = a.version
            FOR UPDATE OF f SKIP LOCKED),
       saved AS (
         UPDATE flags f SET coordination_assessed_at = now()
           FROM assessed a
          WHERE f.id = a.id AND f.id IN (SELECT id FROM still_as_read)
         RETURNING f.id)
     SELECT id FROM saved`;
const QUEUE_PAGE = `SELECT q.*, (extract(epoch FROM q.due_at) * 1000000)::bigint::text AS due_micros
         FROM (SELECT f.* FROM flags f WHERE f.status = 'open') q
        ORDER BY q.due_at LIMIT 50`;
const LOCKED_COUNTERS = `SELECT t.* FROM unnest($1::text[]) AS wanted(key)
       CROSS JOIN LATERAL (SELECT reported_number, total_reports FROM subscriber_counters
                            WHERE reported_number = wanted.key FOR UPDATE) t`;
const RELAY_READ = `SELECT o.id, o.topic, o.message_key, o.payload
             FROM (SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked,
                          set_config('synchronous_commit', 'off', true)) AS relay
             CROSS JOIN LATERAL (SELECT id, topic, message_key, payload FROM outbox
                                  WHERE relay.locked AND published_at IS NULL ORDER BY id LIMIT $2) AS o`;

describe('statementLabel', () => {
  it('names a write by its verb and table, and by how it meets a conflict', () => {
    expect(statementLabel(REPORTERS_ADD)).toBe('INSERT INTO reporters ON CONFLICT DO NOTHING');
    expect(statementLabel(REPORTERS_SAVE)).toBe('INSERT INTO reporters ON CONFLICT DO UPDATE');
    expect(
      statementLabel('INSERT INTO reports (report_id)\n SELECT id FROM unnest($1::uuid[]) AS b(id)'),
    ).toBe('INSERT INTO reports');
    expect(statementLabel('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])')).toBe(
      'UPDATE outbox',
    );
  });

  it('names a WITH by the table it writes, not by a row lock before it', () => {
    expect(statementLabel(ASSESSMENTS_SAVE)).toBe('WITH … UPDATE flags');
  });

  it('names a read by its first table: past unnest, LATERAL, a function call and extract', () => {
    expect(statementLabel(LOCKED_COUNTERS)).toBe('SELECT … FROM subscriber_counters FOR UPDATE');
    expect(statementLabel(RELAY_READ)).toBe('SELECT … FROM outbox');
    expect(statementLabel(OUTBOX_BACKLOG)).toBe('SELECT … FROM outbox');
    expect(statementLabel(QUEUE_PAGE)).toBe('SELECT … FROM flags');
  });

  it('keeps anything else as it is, cut short', () => {
    expect(statementLabel('SET LOCAL jit = off')).toBe('SET LOCAL jit = off');
    expect(statementLabel(`SELECT ${'x, '.repeat(40)}1`)).toHaveLength(48);
  });
});
