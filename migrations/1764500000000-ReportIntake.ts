import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report intake: what became of each raw message, the hotline/API submissions, and the outbox
 * through which every message we publish leaves in the same transaction that decided it.
 */
export class ReportIntake1764500000000 implements MigrationInterface {
  name = 'ReportIntake1764500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "raw_sms_messages"
        ADD COLUMN "outcome" text CHECK ("outcome" IN ('accepted', 'rejected')),
        ADD COLUMN "rejection_reason" text,
        ADD COLUMN "report_id" uuid`);
    await queryRunner.query(`
      CREATE TABLE "submitted_reports" (
        "submission_id" text PRIMARY KEY,
        "agent_id" text,
        "payload" jsonb NOT NULL,
        "outcome" text NOT NULL CHECK ("outcome" IN ('accepted', 'rejected')),
        "rejection_reason" text,
        "report_id" uuid,
        "kafka_topic" text NOT NULL,
        "kafka_partition" integer NOT NULL,
        "kafka_offset" bigint NOT NULL,
        "stored_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "outbox" (
        "id" bigserial PRIMARY KEY,
        "topic" text NOT NULL,
        "message_key" text,
        "payload" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "published_at" timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX "outbox_unpublished_idx" ON "outbox" ("id") WHERE "published_at" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "outbox_published_at_idx" ON "outbox" ("published_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "outbox"`);
    await queryRunner.query(`DROP TABLE "submitted_reports"`);
    await queryRunner.query(`
      ALTER TABLE "raw_sms_messages"
        DROP COLUMN "outcome", DROP COLUMN "rejection_reason", DROP COLUMN "report_id"`);
  }
}
