import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closes the known gaps of the console's sessions (decision 0059):
 * - the audit log says which session acted, when a cookie-signed request made the change, so a
 *   reviewer can tell a browser session from a script using the token itself;
 * - the retention job deletes sessions that ended or expired: it finds them by their end.
 * Rows written before say nothing about a session, which is the truth: sessions were new then.
 */
export class SessionHardening1765480000000 implements MigrationInterface {
  name = 'SessionHardening1765480000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_log" ADD COLUMN "actor_session_id" uuid`);
    await q.query(
      `CREATE INDEX "api_sessions_dead_by_end_idx" ON "api_sessions" (LEAST("expires_at", COALESCE("ended_at", 'infinity')))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "api_sessions_dead_by_end_idx"`);
    await q.query(`ALTER TABLE "audit_log" DROP COLUMN "actor_session_id"`);
  }
}
