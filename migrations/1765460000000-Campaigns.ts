import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DEFAULT_CAMPAIGN_RULES as of this migration, copied rather than imported: a migration must seed
 * the same rows whatever the code's defaults become (decision 0051 says why each is what it is).
 */
const CAMPAIGN_RULES_V1 = {
  version: 1,
  contentSimilarity: 0.6,
  minContentWords: 6,
  blockPrefixDigits: 7,
  blockWithinDays: 7,
  sharedReportersMin: 2,
  sharedReportersWithinHours: 24,
  onsetWithinHours: 6,
  contentWeight: 2,
  numberBlockWeight: 1,
  sharedReportersWeight: 1,
  coTimedOnsetWeight: 1,
  minLinkScore: 2,
  minMembers: 2,
  highSeverityMembers: 10,
  nextSimMinReporters: 2,
};

/**
 * Campaigns (decision 0054): groups of flagged numbers that one operation runs, with what ties each
 * member in, their history, the supervisors' grouping decisions the grouping must keep, the rules
 * that grouped them (versioned, every version kept), and each flagged number's text fingerprints.
 *
 * Fingerprints are kept per number, not per report: only flagged numbers are grouped, and the
 * campaigns job takes them from the reports' texts itself, so the aggregator (the stage that bounds
 * the pipeline's speed, decision 0019) does no work and writes no byte more for them.
 */
export class Campaigns1765460000000 implements MigrationInterface {
  name = 'Campaigns1765460000000';

  public async up(q: QueryRunner): Promise<void> {
    // Every version is a row: a campaign names the version that grouped it, which stays readable.
    await q.query(`
      CREATE TABLE "campaign_rule_versions" (
        "version" integer PRIMARY KEY CHECK ("version" > 0),
        "definition" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NOT NULL
      )`);
    await q.query(
      `INSERT INTO "campaign_rule_versions" ("version", "definition", "created_by") VALUES ($1, $2, 'migration')`,
      [CAMPAIGN_RULES_V1.version, JSON.stringify(CAMPAIGN_RULES_V1)],
    );

    await q.query(`
      CREATE TABLE "campaigns" (
        "id" bigserial PRIMARY KEY,
        "status" text NOT NULL DEFAULT 'open'
          CHECK ("status" IN ('open', 'in_review', 'actioned', 'dismissed', 'merged')),
        "severity" text NOT NULL CHECK ("severity" IN ('low', 'medium', 'high')),
        "severity_reason" text NOT NULL,
        "version" integer NOT NULL DEFAULT 1,
        "rules_version" integer NOT NULL,
        "member_count" integer NOT NULL,
        "distinct_reporters" integer NOT NULL,
        "carriers" text[] NOT NULL,
        "first_seen_at" timestamptz NOT NULL,
        "last_seen_at" timestamptz NOT NULL,
        "fingerprints" text[] NOT NULL,
        "assignee" text,
        "taken_action" text,
        "merged_into" bigint REFERENCES "campaigns" ("id"),
        "opened_at" timestamptz NOT NULL,
        "actioned_at" timestamptz,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // The list's orders (newest, most severe, largest), each walked by keyset from its index.
    await q.query(`CREATE INDEX "campaigns_newest_idx" ON "campaigns" ("last_seen_at" DESC, "id" DESC)`);
    await q.query(
      `CREATE INDEX "campaigns_status_idx" ON "campaigns" ("status", "last_seen_at" DESC, "id" DESC)`,
    );

    // A number is in one campaign at most; its evidence says what tied it in.
    await q.query(`
      CREATE TABLE "campaign_members" (
        "reported_number" text PRIMARY KEY,
        "campaign_id" bigint NOT NULL REFERENCES "campaigns" ("id"),
        "flag_id" bigint NOT NULL REFERENCES "flags" ("id"),
        "evidence" jsonb NOT NULL,
        "joined_at" timestamptz NOT NULL,
        "joined_by" text NOT NULL
      )`);
    await q.query(
      `CREATE INDEX "campaign_members_campaign_idx" ON "campaign_members" ("campaign_id", "reported_number")`,
    );
    await q.query(`CREATE INDEX "campaign_members_flag_idx" ON "campaign_members" ("flag_id")`);

    await q.query(`
      CREATE TABLE "campaign_history" (
        "id" bigserial PRIMARY KEY,
        "campaign_id" bigint NOT NULL REFERENCES "campaigns" ("id"),
        "sequence" integer NOT NULL,
        "change" text NOT NULL,
        "from_status" text,
        "to_status" text NOT NULL,
        "actor" text NOT NULL,
        "note" text,
        "details" jsonb NOT NULL,
        "event_id" text UNIQUE,
        "occurred_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        UNIQUE ("campaign_id", "sequence")
      )`);

    // The supervisors' decisions on grouping, read at every grouping run (group-campaigns.ts).
    await q.query(`
      CREATE TABLE "campaign_overrides" (
        "id" bigserial PRIMARY KEY,
        "kind" text NOT NULL CHECK ("kind" IN ('merge', 'split', 'remove_member')),
        "numbers" text[] NOT NULL,
        "other_numbers" text[] NOT NULL,
        "campaign_id" bigint NOT NULL REFERENCES "campaigns" ("id"),
        "decided_by" text NOT NULL,
        "decided_at" timestamptz NOT NULL
      )`);

    // A flagged number's fingerprints (decision 0050 encoding) and their LSH band keys: the GIN
    // index finds the numbers sharing a band with a changed one, the pattern index its number block.
    await q.query(`
      CREATE TABLE "number_fingerprints" (
        "reported_number" text PRIMARY KEY,
        "fingerprints" text[] NOT NULL,
        "band_keys" text[] NOT NULL,
        "fingerprinted_through" timestamptz,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX "number_fingerprints_bands_idx" ON "number_fingerprints" USING gin ("band_keys")`,
    );
    await q.query(
      `CREATE INDEX "number_fingerprints_block_idx" ON "number_fingerprints" ("reported_number" text_pattern_ops)`,
    );

    // Decisions on campaigns are audited like those on flags.
    await q.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_target_type_check"`);
    await q.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_target_type_check"
         CHECK ("target_type" IN ('flag', 'rule', 'allowlist', 'token', 'reporter', 'submission', 'campaign'))`,
    );

    // Where the incremental grouping got to, and with which rules (a new version regroups all).
    await q.query(`
      CREATE TABLE "campaign_grouping" (
        "id" integer PRIMARY KEY CHECK ("id" = 1),
        "grouped_through" timestamptz NOT NULL,
        "rules_version" integer NOT NULL
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // Audit rows about campaigns stay (the log is append-only): the narrower check holds for new rows only.
    await q.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_target_type_check"`);
    await q.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_target_type_check"
         CHECK ("target_type" IN ('flag', 'rule', 'allowlist', 'token', 'reporter', 'submission')) NOT VALID`,
    );
    await q.query(`DROP TABLE "campaign_grouping"`);
    await q.query(`DROP TABLE "number_fingerprints"`);
    await q.query(`DROP TABLE "campaign_overrides"`);
    await q.query(`DROP TABLE "campaign_history"`);
    await q.query(`DROP TABLE "campaign_members"`);
    await q.query(`DROP TABLE "campaigns"`);
    await q.query(`DROP TABLE "campaign_rule_versions"`);
  }
}
