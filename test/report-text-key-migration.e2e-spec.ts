import { DataSource } from 'typeorm';
import { reportTextKey } from '@abuse-monitor/persistence';
import { ReportTextKey1765495000000 } from '../migrations/1765495000000-ReportTextKey';
import { createTestDatabase, migrate, openDataSource, TestDatabase } from './support/test-database';

const MIGRATION_AT = 1765495000000;
const MIGRATION = new ReportTextKey1765495000000().name;
/** More than the migration's batch of 10,000, so that it has to walk on past the first. */
const BULK = 10_050;

const TEXTS = [
  'Trung thuong  XE MAY, goi ngay',
  ' trung thuong xe may, GOI NGAY ',
  '\ttrung thuong xe may,\ngoi ngay\r\n',
  'ĐÀ NẴNG lừa đảo',
  'ΟΔΟΣ',
  '',
  null,
];

/**
 * Reports stored before the key was: the migration gives each the key the aggregator would (the
 * same JS function), replaces the expression index by one on the column, and goes back down.
 */
describe('the migration that stores the key of a report text', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase('textkey', { migrate: false });
    await migrate(db.url, { before: MIGRATION_AT });
    dataSource = await openDataSource(db.url);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const applied = async () =>
    ((await dataSource.query(`SELECT name FROM schema_migrations`)) as { name: string }[]).map((m) => m.name);
  const stored = () =>
    db.query<{ content: string | null; text_key: string | null }>(`SELECT content, text_key FROM reports`);
  const indexes = async () =>
    (
      await db.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'reports' AND indexname LIKE 'reports_text%'`,
      )
    ).map((i) => i.indexname);
  const textKeyFunction = async () =>
    (await db.query<{ f: string | null }>(`SELECT to_regprocedure('report_text_key(text)')::text AS f`))[0].f;

  it('keys every stored text as the aggregator does, past its first batch, and none without a text', async () => {
    await db.query(
      `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                            number_type, carrier, content, weighted, received_at)
       SELECT md5('textkey-' || ord)::uuid, '+84987000901', '+84912000902', 'sms', '156', 'gw-' || ord,
              'spam_call', 'unknown', 'mobile', 'viettel', content, true, '2026-11-20T08:00:00Z'
         FROM unnest($1::text[]) WITH ORDINALITY AS x(content, ord)`,
      [TEXTS],
    );
    await db.query(
      `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                            number_type, carrier, content, weighted, received_at)
       SELECT md5('bulk-' || i)::uuid, '+84987000902', '+84912000903', 'sms', '156', 'bulk-' || i,
              'spam_call', 'unknown', 'mobile', 'viettel', 'Goi  vay ' || (i % 7), true, '2026-11-20T09:00:00Z'
         FROM generate_series(1, $1::int) i`,
      [BULK],
    );

    await dataSource.runMigrations({ transaction: 'each' });

    const rows = await stored();
    expect(rows).toHaveLength(TEXTS.length + BULK);
    const wrong = rows.filter((r) => r.text_key !== reportTextKey(r.content));
    expect(wrong).toEqual([]);
    const keyOf = new Map(rows.map((r) => [r.content, r.text_key]));
    // Case and runs of white space aside, at the ends too (the old key kept a tab or line break there).
    expect(new Set(TEXTS.slice(0, 3).map((t) => keyOf.get(t)))).toEqual(new Set([keyOf.get(TEXTS[0])]));
    expect(keyOf.get(null)).toBeNull();
    expect(await indexes()).toEqual(['reports_text_key_idx']);
    expect(await textKeyFunction()).toBeNull();
  });

  it('refuses a key without its text: anonymising a text must clear its fingerprint too', async () => {
    await expect(db.query(`UPDATE reports SET content = NULL WHERE content = $1`, ['ΟΔΟΣ'])).rejects.toThrow(
      /reports_text_key_with_content/,
    );
  });

  it('goes back down to the expression index and up again with the same keys', async () => {
    const before = await stored();
    while ((await applied()).includes(MIGRATION)) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await indexes()).toEqual(['reports_text_idx']);
    expect(await textKeyFunction()).toBe('report_text_key(text)');
    expect(
      await db.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'reports' AND column_name = 'text_key'`,
      ),
    ).toEqual([]);
    expect(await db.query(`SELECT report_text_key(' A  b ') = md5('a b') AS same`)).toEqual([{ same: true }]);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await applied()).toContain(MIGRATION);
    const after = await stored();
    const byContent = (rows: typeof before) => rows.map((r) => `${r.content}:${r.text_key}`).sort();
    expect(byContent(after)).toEqual(byContent(before));
  });
});
