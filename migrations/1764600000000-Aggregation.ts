import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Aggregation and flagging: stored reports, reporters and their standing, counters per reported
 * number, versioned rules (seeded with the defaults), the allowlist, one flag per number with its
 * full history.
 */
export class Aggregation1764600000000 implements MigrationInterface {
  name = 'Aggregation1764600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "reports" (
        "report_id" uuid PRIMARY KEY,
        "reported_number" text NOT NULL,
        "reporter" text NOT NULL,
        "channel" text NOT NULL,
        "short_code" text,
        "source_id" text NOT NULL,
        "kind" text NOT NULL,
        "category" text NOT NULL,
        "category_keyword" text,
        "number_type" text NOT NULL,
        "carrier" text,
        "content" text,
        "agent_id" text,
        "weighted" boolean NOT NULL,
        "received_at" timestamptz NOT NULL,
        "stored_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "reports_number_time_idx" ON "reports" ("reported_number", "received_at")`);
    await q.query(`CREATE INDEX "reports_reporter_time_idx" ON "reports" ("reporter", "received_at")`);

    await q.query(`
      CREATE TABLE "reporters" (
        "reporter" text PRIMARY KEY,
        "standing" text NOT NULL DEFAULT 'normal' CHECK ("standing" IN ('normal', 'suspicious', 'cleared')),
        "suspicious_since" timestamptz,
        "cleared_at" timestamptz,
        "cleared_by" text,
        "first_seen_at" timestamptz NOT NULL,
        "last_seen_at" timestamptz NOT NULL,
        "total_reports" bigint NOT NULL DEFAULT 0
      )`);

    await q.query(`
      CREATE TABLE "subscriber_counters" (
        "reported_number" text PRIMARY KEY,
        "number_type" text NOT NULL,
        "carrier" text,
        "first_seen_at" timestamptz NOT NULL,
        "last_seen_at" timestamptz NOT NULL,
        "total_reports" bigint NOT NULL,
        "counted_at" timestamptz NOT NULL,
        "reports_1h" integer NOT NULL,
        "distinct_reporters_1h" integer NOT NULL,
        "reports_24h" integer NOT NULL,
        "distinct_reporters_24h" integer NOT NULL,
        "reports_7d" integer NOT NULL,
        "distinct_reporters_7d" integer NOT NULL,
        "reports_30d" integer NOT NULL,
        "distinct_reporters_30d" integer NOT NULL,
        "by_kind_30d" jsonb NOT NULL,
        "by_category_30d" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX "subscriber_counters_top_24h_idx" ON "subscriber_counters" ("distinct_reporters_24h" DESC, "reported_number")`,
    );

    await q.query(`
      CREATE TABLE "rules" (
        "id" text PRIMARY KEY,
        "version" integer NOT NULL DEFAULT 1,
        "name" text NOT NULL,
        "window_seconds" integer NOT NULL CHECK ("window_seconds" IN (3600, 86400, 604800, 2592000)),
        "measure" text NOT NULL CHECK ("measure" IN ('distinct_reporters', 'reports')),
        "kind" text,
        "category" text,
        "number_type" text,
        "threshold" integer NOT NULL CHECK ("threshold" > 0),
        "severity" text NOT NULL CHECK ("severity" IN ('low', 'medium', 'high')),
        "action" text NOT NULL CHECK ("action" IN ('watch', 'warn', 'block_outgoing', 'block_both', 'suspend')),
        "enabled" boolean NOT NULL DEFAULT true,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" text NOT NULL DEFAULT 'migration'
      )`);
    await q.query(`
      CREATE TABLE "rule_versions" (
        "id" text NOT NULL,
        "version" integer NOT NULL,
        "definition" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NOT NULL,
        PRIMARY KEY ("id", "version")
      )`);
    // Versioning lives in the database so that a rule changed by any means (API, psql) gets a new
    // version, and the definition a flag points to can always be read back.
    await q.query(`
      CREATE FUNCTION "rules_next_version"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (to_jsonb(NEW) - 'version' - 'updated_at' - 'updated_by')
           IS DISTINCT FROM (to_jsonb(OLD) - 'version' - 'updated_at' - 'updated_by') THEN
          NEW.version := OLD.version + 1;
          NEW.updated_at := now();
        ELSE
          NEW.version := OLD.version;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE FUNCTION "rules_record_version"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO rule_versions (id, version, definition, created_by)
        VALUES (NEW.id, NEW.version, to_jsonb(NEW) - 'updated_at' - 'updated_by', NEW.updated_by)
        ON CONFLICT (id, version) DO NOTHING;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER "rules_version_bump" BEFORE UPDATE ON "rules" FOR EACH ROW EXECUTE FUNCTION rules_next_version()`,
    );
    await q.query(
      `CREATE TRIGGER "rules_version_record" AFTER INSERT OR UPDATE ON "rules" FOR EACH ROW EXECUTE FUNCTION rules_record_version()`,
    );
    await q.query(`
      INSERT INTO "rules" ("id", "name", "window_seconds", "measure", "kind", "threshold", "severity", "action") VALUES
        ('distinct-3-24h', '3 distinct reporters in 24 hours: watch', 86400, 'distinct_reporters', NULL, 3, 'low', 'watch'),
        ('distinct-10-24h', '10 distinct reporters in 24 hours: review and warn', 86400, 'distinct_reporters', NULL, 10, 'medium', 'warn'),
        ('distinct-20-7d', '20 distinct reporters in 7 days: review and warn', 604800, 'distinct_reporters', NULL, 20, 'medium', 'warn'),
        ('distinct-30-24h', '30 distinct reporters in 24 hours: one-way block', 86400, 'distinct_reporters', NULL, 30, 'high', 'block_outgoing'),
        ('scam-distinct-5-24h', '5 distinct scam-call reporters in 24 hours: one-way block', 86400, 'distinct_reporters', 'scam_call', 5, 'high', 'block_outgoing')`);

    await q.query(`
      CREATE TABLE "allowlist" (
        "id" bigserial PRIMARY KEY,
        "kind" text NOT NULL CHECK ("kind" IN ('number', 'prefix')),
        "pattern" text NOT NULL CHECK ("pattern" ~ '^\\+84[0-9]*$'),
        "reason" text NOT NULL,
        "owner" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NOT NULL DEFAULT 'migration',
        UNIQUE ("kind", "pattern")
      )`);

    await q.query(`
      CREATE TABLE "flags" (
        "id" bigserial PRIMARY KEY,
        "reported_number" text NOT NULL UNIQUE,
        "status" text NOT NULL CHECK ("status" IN ('open', 'in_review', 'actioned', 'dismissed', 'expired')),
        "severity" text NOT NULL CHECK ("severity" IN ('low', 'medium', 'high')),
        "rule_id" text NOT NULL,
        "rule_version" integer NOT NULL,
        "recommended_action" text NOT NULL,
        "taken_action" text,
        "opened_at" timestamptz NOT NULL,
        "last_change_at" timestamptz NOT NULL,
        "counts_reports_after" timestamptz,
        "assignee" text,
        "possibly_coordinated" boolean NOT NULL DEFAULT false,
        "coordination_share" real,
        "coordination_assessed_at" timestamptz,
        "sequence" integer NOT NULL,
        "evidence" jsonb,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "flags_queue_idx" ON "flags" ("status", "severity", "opened_at")`);
    // Coordination is judged across numbers, on data other partitions may not have stored yet, so
    // it is assessed apart from the flag's own timeline and recorded here, not as a flag change.
    await q.query(`
      CREATE TABLE "flag_assessments" (
        "id" bigserial PRIMARY KEY,
        "flag_id" bigint NOT NULL REFERENCES "flags" ("id"),
        "reported_number" text NOT NULL,
        "possibly_coordinated" boolean NOT NULL,
        "coordination_share" real NOT NULL,
        "reporters" integer NOT NULL,
        "assessed_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE "flag_history" (
        "id" bigserial PRIMARY KEY,
        "flag_id" bigint NOT NULL REFERENCES "flags" ("id"),
        "reported_number" text NOT NULL,
        "sequence" integer NOT NULL,
        "change" text NOT NULL,
        "from_status" text,
        "to_status" text NOT NULL,
        "severity" text NOT NULL,
        "rule_id" text NOT NULL,
        "rule_version" integer NOT NULL,
        "recommended_action" text NOT NULL,
        "taken_action" text,
        "possibly_coordinated" boolean NOT NULL,
        "actor" text NOT NULL,
        "note" text,
        "evidence" jsonb,
        "event_id" text UNIQUE,
        "occurred_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        UNIQUE ("reported_number", "sequence")
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "flag_assessments"`);
    await q.query(`DROP TABLE "flag_history"`);
    await q.query(`DROP TABLE "flags"`);
    await q.query(`DROP TABLE "allowlist"`);
    await q.query(`DROP TRIGGER "rules_version_record" ON "rules"`);
    await q.query(`DROP TRIGGER "rules_version_bump" ON "rules"`);
    await q.query(`DROP TABLE "rule_versions"`);
    await q.query(`DROP TABLE "rules"`);
    await q.query(`DROP FUNCTION "rules_record_version"()`);
    await q.query(`DROP FUNCTION "rules_next_version"()`);
    await q.query(`DROP TABLE "subscriber_counters"`);
    await q.query(`DROP TABLE "reporters"`);
    await q.query(`DROP TABLE "reports"`);
  }
}
