import { DataSource } from 'typeorm';
import { DEFAULT_CAMPAIGN_RULES, validateCampaignRules } from '@abuse-monitor/domain';
import { Campaigns1765460000000 } from '../migrations/1765460000000-Campaigns';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

const MIGRATION = new Campaigns1765460000000().name;

describe('the migration that adds campaigns', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const applied = async () =>
    ((await dataSource.query(`SELECT name FROM schema_migrations`)) as { name: string }[]).map((m) => m.name);
  const auditTargets = async () =>
    (
      (await dataSource.query(`SELECT target_type FROM audit_log ORDER BY id`)) as { target_type: string }[]
    ).map((r) => r.target_type);
  const audit = (target: string) =>
    dataSource.query(
      `INSERT INTO audit_log (actor, action, target_type, target_id, after) VALUES ('sup', 'x', $1, '1', '{}')`,
      [target],
    );

  beforeAll(async () => {
    db = await createTestDatabase('campaignsmigration');
    dataSource = await openDataSource(db.url);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('seeds valid default rules, keeps the audit log, and goes down again leaving the audit rows', async () => {
    while ((await applied()).includes(MIGRATION)) await dataSource.undoLastMigration({ transaction: 'each' });
    await audit('submission');
    await expect(audit('campaign')).rejects.toThrow(/audit_log_target_type_check/);

    await dataSource.runMigrations({ transaction: 'each' });
    const [seeded] = (await dataSource.query(
      `SELECT version, definition, created_by FROM campaign_rule_versions`,
    )) as { version: number; definition: unknown; created_by: string }[];
    expect(seeded).toMatchObject({ version: 1, created_by: 'migration' });
    // The copy in the migration is the domain's defaults, and the validator takes it.
    expect(seeded!.definition).toEqual(DEFAULT_CAMPAIGN_RULES);
    expect(validateCampaignRules(seeded!.definition).ok).toBe(true);
    await audit('campaign');
    expect(await auditTargets()).toEqual(['submission', 'campaign']);

    // Down to before it, with the migrations that came after it.
    while ((await applied()).includes(MIGRATION)) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await applied()).not.toContain(MIGRATION);
    expect(await dataSource.query(`SELECT to_regclass('campaigns') AS t`)).toEqual([{ t: null }]);
    // The log is append-only: its campaign rows stay, and new ones are refused again.
    expect(await auditTargets()).toEqual(['submission', 'campaign']);
    await expect(audit('campaign')).rejects.toThrow(/audit_log_target_type_check/);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await applied()).toContain(MIGRATION);
  });
});
