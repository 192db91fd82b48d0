import { DataSource } from 'typeorm';
import { TokenNamesForEverAndExpiry1765320000000 } from '../migrations/1765320000000-TokenNamesForEverAndExpiry';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

const MIGRATION = new TokenNamesForEverAndExpiry1765320000000().name;

describe('the migration that makes token names unique for ever', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase('tokennames');
    dataSource = await openDataSource(db.url);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('keeps the name on the live token (or the latest revoked one) and renames the others out of reach', async () => {
    const applied = async () =>
      ((await dataSource.query(`SELECT name FROM schema_migrations`)) as { name: string }[]).map(
        (m) => m.name,
      );
    while ((await applied()).includes(MIGRATION)) await dataSource.undoLastMigration({ transaction: 'each' });

    await dataSource.query(`
      INSERT INTO api_tokens (id, name, role, token_hash, created_by, created_at, revoked_at) VALUES
        ('00000000-0000-4000-8000-000000000001', 'lan', 'analyst', 'h1', 'test', '2026-01-01', '2026-02-01'),
        ('00000000-0000-4000-8000-000000000002', 'lan', 'analyst', 'h2', 'test', '2026-03-01', NULL),
        ('00000000-0000-4000-8000-000000000003', 'lan', 'analyst', 'h3', 'test', '2026-02-01', '2026-02-15'),
        ('00000000-0000-4000-8000-000000000004', 'an', 'analyst', 'h4', 'test', '2026-01-01', '2026-02-01'),
        ('00000000-0000-4000-8000-000000000005', 'an', 'analyst', 'h5', 'test', '2026-03-01', '2026-04-01')`);
    await dataSource.runMigrations({ transaction: 'each' });

    expect(await dataSource.query(`SELECT id, name FROM api_tokens ORDER BY id`)).toEqual([
      { id: '00000000-0000-4000-8000-000000000001', name: 'lan~00000000-0000-4000-8000-000000000001' },
      { id: '00000000-0000-4000-8000-000000000002', name: 'lan' },
      { id: '00000000-0000-4000-8000-000000000003', name: 'lan~00000000-0000-4000-8000-000000000003' },
      { id: '00000000-0000-4000-8000-000000000004', name: 'an~00000000-0000-4000-8000-000000000004' },
      { id: '00000000-0000-4000-8000-000000000005', name: 'an' },
    ]);
  });
});
