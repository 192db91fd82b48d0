import { createTestDatabase, migrate, TestDatabase } from './support/test-database';

/** RejectionsFromTheStream: where ingest's rows per message ended (docs/decisions/0025). */
const MIGRATION_AT = 1765100000000;
const RECEIVED = '2026-11-20T08:00:00.000Z';
const STORED = '2026-11-20T08:00:01.000Z';
const ANONYMISED_AT = '2026-12-01T03:00:00.000Z';

/**
 * A database upgraded from the design where ingest wrote a row for every raw SMS and hotline
 * submission: the rejections it stored there move to rejected_reports, which the daily summary and
 * retention now read, and the old rows stay where they were.
 */
describe('the migration that moves stored rejections to rejected_reports', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('rejmove', { migrate: false });
    await migrate(db.url, { before: MIGRATION_AT });
  });
  afterAll(() => db.drop());

  const seedRawSms = (
    id: string,
    row: { reporter: string; outcome: string | null; reason?: string; anonymised?: boolean },
  ) =>
    db.query(
      `INSERT INTO raw_sms_messages (message_id, reporter, short_code, text, received_at, kafka_topic, kafka_partition,
                                     kafka_offset, stored_at, outcome, rejection_reason, report_id, anonymised_at)
       VALUES ($1, $2, '156', $3, $4, 'reports.sms.raw', 0, 7, $5, $6, $7,
               CASE WHEN $6 = 'accepted' THEN md5($1)::uuid END, $8)`,
      [
        id,
        row.reporter,
        row.anonymised ? '' : `V 0987000111 ${id}`,
        RECEIVED,
        STORED,
        row.outcome,
        row.reason ?? null,
        row.anonymised ? ANONYMISED_AT : null,
      ],
    );
  const seedSubmission = (
    id: string,
    payload: object,
    row: { outcome: string; reason?: string; anonymised?: boolean },
  ) =>
    db.query(
      `INSERT INTO submitted_reports (submission_id, agent_id, payload, outcome, rejection_reason, report_id,
                                      kafka_topic, kafka_partition, kafka_offset, stored_at, anonymised_at)
       VALUES ($1, 'agent-7', $2::jsonb, $3, $4, CASE WHEN $3 = 'accepted' THEN md5($1)::uuid END,
               'reports.submitted', 0, 9, $5, $6)`,
      [
        id,
        JSON.stringify(payload),
        row.outcome,
        row.reason ?? null,
        STORED,
        row.anonymised ? ANONYMISED_AT : null,
      ],
    );
  const rejections = async () =>
    (
      await db.query<Record<string, unknown>>(`SELECT * FROM rejected_reports ORDER BY channel, source_id`)
    ).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
    );
  const count = async (table: string) =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('moves every rejected SMS and submission, anonymised ones as they are, and nothing accepted', async () => {
    await seedRawSms('gw-rejected', { reporter: '+84912000101', outcome: 'rejected', reason: 'no_number' });
    await seedRawSms('gw-anonymised', {
      reporter: 'anonymised',
      outcome: 'rejected',
      reason: 'invalid_number',
      anonymised: true,
    });
    await seedRawSms('gw-accepted', { reporter: '+84912000102', outcome: 'accepted' });
    // Stored before outcomes were recorded (ReportIntake): nothing says it was rejected.
    await seedRawSms('gw-before-outcomes', { reporter: '+84912000103', outcome: null });
    await seedSubmission(
      'hotline-rejected',
      { reporter: '+84912000201', reportedNumber: '123', kind: 'scam_call' },
      { outcome: 'rejected', reason: 'invalid_number' },
    );
    await seedSubmission(
      'hotline-anonymised',
      { kind: 'scam_call', anonymised: true },
      { outcome: 'rejected', reason: 'invalid_number', anonymised: true },
    );
    await seedSubmission(
      'hotline-no-reporter',
      { kind: 'spam_sms' },
      { outcome: 'rejected', reason: 'no_number' },
    );
    await seedSubmission(
      'hotline-accepted',
      { reporter: '+84912000202', reportedNumber: '0987000111', kind: 'scam_call' },
      { outcome: 'accepted' },
    );

    await migrate(db.url);

    const sms = { channel: 'sms', short_code: '156', received_at: RECEIVED, stored_at: STORED };
    // A submission's broker time was not kept: the time it was stored stands for it.
    const hotline = { channel: 'hotline', short_code: null, received_at: STORED, stored_at: STORED };
    expect(await rejections()).toEqual([
      {
        ...hotline,
        source_id: 'hotline-anonymised',
        reporter: 'anonymised',
        reason: 'invalid_number',
        anonymised_at: ANONYMISED_AT,
      },
      {
        ...hotline,
        source_id: 'hotline-no-reporter',
        reporter: '',
        reason: 'no_number',
        anonymised_at: null,
      },
      {
        ...hotline,
        source_id: 'hotline-rejected',
        reporter: '+84912000201',
        reason: 'invalid_number',
        anonymised_at: null,
      },
      {
        ...sms,
        source_id: 'gw-anonymised',
        reporter: 'anonymised',
        reason: 'invalid_number',
        anonymised_at: ANONYMISED_AT,
      },
      {
        ...sms,
        source_id: 'gw-rejected',
        reporter: '+84912000101',
        reason: 'no_number',
        anonymised_at: null,
      },
    ]);
    expect(await count('raw_sms_messages')).toBe(4);
    expect(await count('submitted_reports')).toBe(4);
  });
});
