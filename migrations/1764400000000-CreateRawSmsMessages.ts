import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRawSmsMessages1764400000000 implements MigrationInterface {
  name = 'CreateRawSmsMessages1764400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "raw_sms_messages" (
        "message_id" text PRIMARY KEY,
        "reporter" text NOT NULL,
        "short_code" text NOT NULL,
        "text" text NOT NULL,
        "received_at" timestamptz NOT NULL,
        "kafka_topic" text NOT NULL,
        "kafka_partition" integer NOT NULL,
        "kafka_offset" bigint NOT NULL,
        "stored_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "raw_sms_messages_received_at_idx" ON "raw_sms_messages" ("received_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "raw_sms_messages"`);
  }
}
