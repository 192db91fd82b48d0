import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The aggregator keeps the rules, the allowlist and the protected originators in memory instead of
 * reading them for every batch (decision 0062). Any change to them, by the API, the admin CLI or
 * plain SQL, notifies `abuse_monitor_rules_in_force` when it commits, so every aggregator reads
 * them again at once. One notification per statement: a transaction's identical notifications are
 * delivered once, however many rows it changed.
 */
export class RulesInForceNotify1765490000000 implements MigrationInterface {
  name = 'RulesInForceNotify1765490000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "rules_in_force_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('abuse_monitor_rules_in_force', '');
        RETURN NULL;
      END $$`);
    for (const table of ['rules', 'allowlist', 'protected_originators']) {
      await q.query(
        `CREATE TRIGGER "${table}_in_force_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}"
           FOR EACH STATEMENT EXECUTE FUNCTION rules_in_force_changed()`,
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ['rules', 'allowlist', 'protected_originators']) {
      await q.query(`DROP TRIGGER "${table}_in_force_changed" ON "${table}"`);
    }
    await q.query(`DROP FUNCTION "rules_in_force_changed"()`);
  }
}
