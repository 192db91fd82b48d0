import { randomUUID } from 'node:crypto';
import { reportTextKey } from '@abuse-monitor/persistence';
import { TestDatabase } from './test-database';

export interface SeedFlag {
  number: string;
  status?: 'open' | 'in_review' | 'actioned' | 'dismissed' | 'expired';
  severity?: 'low' | 'medium' | 'high';
  openedAt: Date;
  slaStartedAt?: Date;
  takenAction?: string | null;
  countsReportsAfter?: Date | null;
  /** History rows before this one are 'opened' (1) and, for actioned flags, 'actioned' (2). */
  sequence?: number;
}

/** A flag straight in the database, with the history rows its sequence implies. */
export async function seedFlag(db: TestDatabase, flag: SeedFlag): Promise<string> {
  const status = flag.status ?? 'open';
  const severity = flag.severity ?? 'low';
  const sequence = flag.sequence ?? (status === 'actioned' ? 2 : 1);
  const [{ id }] = await db.query<{ id: string }>(
    `INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action, taken_action,
                        opened_at, last_change_at, counts_reports_after, sequence, sla_started_at)
     VALUES ($1, $2, $3, 'distinct-3-24h', 1, 'watch', $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      flag.number,
      status,
      severity,
      flag.takenAction ?? null,
      flag.openedAt,
      flag.countsReportsAfter ?? flag.openedAt,
      flag.countsReportsAfter ?? null,
      sequence,
      flag.slaStartedAt ?? flag.openedAt,
    ],
  );
  for (let s = 1; s <= sequence; s++) {
    const change = s === 1 ? 'opened' : status === 'actioned' && s === sequence ? 'actioned' : 'claimed';
    const at = s === 1 ? flag.openedAt : (flag.countsReportsAfter ?? flag.openedAt);
    await db.query(
      `INSERT INTO flag_history (flag_id, reported_number, sequence, change, from_status, to_status, severity, rule_id,
                                 rule_version, recommended_action, taken_action, possibly_coordinated, actor, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'distinct-3-24h', 1, 'watch', $8, false, 'seed', $9)`,
      [
        id,
        flag.number,
        s,
        change,
        s === 1 ? null : 'open',
        s === sequence ? status : s === 1 ? 'open' : 'in_review',
        severity,
        change === 'actioned' ? flag.takenAction : null,
        at,
      ],
    );
  }
  return id;
}

export interface SeedReport {
  reportedNumber: string;
  reporter: string;
  receivedAt: Date;
  channel?: 'sms' | 'hotline';
  shortCode?: string | null;
  kind?: string;
  category?: string;
  carrier?: string | null;
  content?: string | null;
  weighted?: boolean;
}

export async function seedReports(db: TestDatabase, reports: SeedReport[]): Promise<string[]> {
  const ids: string[] = [];
  for (const r of reports) {
    const id = randomUUID();
    ids.push(id);
    const channel = r.channel ?? 'sms';
    await db.query(
      `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                            number_type, carrier, content, weighted, received_at, text_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'mobile', $9, $10, $11, $12, $13)`,
      [
        id,
        r.reportedNumber,
        r.reporter,
        channel,
        r.shortCode === undefined ? (channel === 'sms' ? '156' : null) : r.shortCode,
        `seed:${id}`,
        r.kind ?? 'spam_call',
        r.category ?? 'unknown',
        r.carrier === undefined ? 'viettel' : r.carrier,
        r.content ?? null,
        r.weighted ?? true,
        r.receivedAt,
        // As the aggregator stores it: "relatives by shared text" reads only the key.
        reportTextKey(r.content ?? null),
      ],
    );
  }
  return ids;
}

/** Counters as the aggregator would leave them for a number last reported at `lastSeenAt`. */
export async function seedCounters(
  db: TestDatabase,
  number: string,
  lastSeenAt: Date,
  reports = 3,
): Promise<void> {
  const zero = JSON.stringify({});
  await db.query(
    `INSERT INTO subscriber_counters (reported_number, number_type, carrier, first_seen_at, last_seen_at, total_reports,
       counted_at, reports_1h, distinct_reporters_1h, reports_24h, distinct_reporters_24h, reports_7d,
       distinct_reporters_7d, reports_30d, distinct_reporters_30d, by_kind_30d, by_category_30d)
     VALUES ($1, 'mobile', 'viettel', $2, $2, $3::int, $2, $3::int, $3::int, $3::int, $3::int, $3::int, $3::int,
             $3::int, $3::int, $4, $4)`,
    [number, lastSeenAt, reports, zero],
  );
}

let seq = 0;

/** A rejection as the aggregator stores it from reports.rejected. */
export async function seedRejection(
  db: TestDatabase,
  rejection: { channel?: 'sms' | 'hotline'; receivedAt: Date; reporter?: string; reason: string },
): Promise<string> {
  const id = `seed-rejection-${++seq}-${randomUUID()}`;
  const channel = rejection.channel ?? 'sms';
  await db.query(
    `INSERT INTO rejected_reports (channel, source_id, short_code, reporter, reason, received_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      channel,
      id,
      channel === 'sms' ? '156' : null,
      rejection.reporter ?? '+84911000997',
      rejection.reason,
      rejection.receivedAt,
    ],
  );
  return id;
}

/** A raw SMS as ingest stored it before decision 0025, with its outcome. */
export async function seedRawSms(
  db: TestDatabase,
  sms: { receivedAt: Date; reporter?: string; text?: string; rejectionReason?: string | null },
): Promise<string> {
  const id = `seed-sms-${++seq}-${randomUUID()}`;
  await db.query(
    `INSERT INTO raw_sms_messages (message_id, reporter, short_code, text, received_at, kafka_topic, kafka_partition,
                                   kafka_offset, outcome, rejection_reason)
     VALUES ($1, $2, '156', $3, $4, 'seed', 0, $5, $6, $7)`,
    [
      id,
      sms.reporter ?? '+84911000999',
      sms.text ?? 'V 0912345678 lam phien',
      sms.receivedAt,
      seq,
      sms.rejectionReason ? 'rejected' : 'accepted',
      sms.rejectionReason ?? null,
    ],
  );
  return id;
}

/** A hotline submission as ingest stored it before decision 0025, with its outcome. */
export async function seedSubmission(
  db: TestDatabase,
  submission: { storedAt: Date; reporter?: string; rejectionReason?: string | null },
): Promise<string> {
  const id = `key:seed-${++seq}-${randomUUID()}`;
  await db.query(
    `INSERT INTO submitted_reports (submission_id, agent_id, payload, outcome, rejection_reason, kafka_topic,
                                    kafka_partition, kafka_offset, stored_at)
     VALUES ($1, 'agent-1', $2, $3, $4, 'seed', 0, $5, $6)`,
    [
      id,
      JSON.stringify({
        reporter: submission.reporter ?? '+84911000998',
        reportedNumber: '0987000001',
        kind: 'scam_call',
        description: 'goi gia danh ngan hang',
      }),
      submission.rejectionReason ? 'rejected' : 'accepted',
      submission.rejectionReason ?? null,
      seq,
      submission.storedAt,
    ],
  );
  return id;
}

/** A change in a flag's history at a given moment (the flag row is not touched). */
export async function seedHistory(
  db: TestDatabase,
  flagId: string,
  number: string,
  sequence: number,
  change: string,
  occurredAt: Date,
  takenAction: string | null = null,
  fromStatus: string | null = null,
): Promise<void> {
  await db.query(
    `INSERT INTO flag_history (flag_id, reported_number, sequence, change, from_status, to_status, severity, rule_id,
                               rule_version, recommended_action, taken_action, possibly_coordinated, actor, occurred_at)
     VALUES ($1, $2, $3, $4, $7, COALESCE($7, 'open'), 'low', 'distinct-3-24h', 1, 'watch', $5, false, 'seed', $6)`,
    [flagId, number, sequence, change, takenAction, occurredAt, fromStatus],
  );
}

/** A campaign of flagged numbers, as the grouping stores it (open unless said); returns its id. */
export async function seedCampaign(
  db: TestDatabase,
  members: { number: string; flagId: string }[],
  status = 'open',
): Promise<number> {
  const [campaign] = await db.query<{ id: string }>(
    `INSERT INTO campaigns (status, severity, severity_reason, rules_version, member_count, distinct_reporters,
                            carriers, first_seen_at, last_seen_at, fingerprints, opened_at)
     VALUES ($1, 'low', 'seeded', 1, $2, $2 * 3, '{viettel}', now(), now(), '{}', now()) RETURNING id`,
    [status, members.length],
  );
  await db.query(
    `INSERT INTO campaign_members (reported_number, campaign_id, flag_id, evidence, joined_at, joined_by)
     SELECT n, $2, fid, '{"links": [], "mergedBySupervisor": false}', now(), 'scheduler'
       FROM unnest($1::text[], $3::bigint[]) AS b(n, fid)`,
    [members.map((m) => m.number), campaign!.id, members.map((m) => m.flagId)],
  );
  return Number(campaign!.id);
}
