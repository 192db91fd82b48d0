import { DataSource } from 'typeorm';
import { ProtectedOriginators1765470000000 } from '../migrations/1765470000000-ProtectedOriginators';
import { seedFlag } from './support/seed';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

const MIGRATION = new ProtectedOriginators1765470000000().name;

describe('the migration that adds protected originators and the kind of a flag', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase('protectedorig');
    dataSource = await openDataSource(db.url);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const applied = async () =>
    ((await dataSource.query(`SELECT name FROM schema_migrations`)) as { name: string }[]).map((m) => m.name);
  const undoIt = async () => {
    while ((await applied()).includes(MIGRATION)) await dataSource.undoLastMigration({ transaction: 'each' });
  };

  it('makes every flag stored before it an abuse flag, and refuses a kind it does not know', async () => {
    await undoIt();
    await seedFlag(db, { number: '+84987000701', openedAt: new Date('2026-11-30T08:00:00Z') });
    await dataSource.runMigrations({ transaction: 'each' });

    expect(await db.query(`SELECT reported_number, kind FROM flags`)).toEqual([
      { reported_number: '+84987000701', kind: 'abuse' },
    ]);
    await expect(db.query(`UPDATE flags SET kind = 'victim'`)).rejects.toThrow(/flags_kind_check/);
    await expect(
      db.query(
        `INSERT INTO protected_originators (number, name, kind, reason, created_by, updated_by)
         VALUES ('0912000222', 'bank', 'bank', 'r', 't', 't')`,
      ),
    ).rejects.toThrow(/protected_originators_number_check/);
  });

  it('goes back down, keeping the audit entries about the list, and up again', async () => {
    await db.query(
      `INSERT INTO audit_log (actor, actor_role, action, target_type, target_id, before, after)
       VALUES ('hoa', 'supervisor', 'protected_originator.create', 'protected_originator', '1', NULL, '{}')`,
    );
    await undoIt();
    expect(await db.query(`SELECT to_regclass('protected_originators') AS t`)).toEqual([{ t: null }]);
    expect(await db.query(`SELECT target_type FROM audit_log`)).toEqual([
      { target_type: 'protected_originator' },
    ]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await applied()).toContain(MIGRATION);
  });
});
