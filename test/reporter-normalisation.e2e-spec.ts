import { randomUUID } from 'node:crypto';
import { createTestDatabase, migrate, TestDatabase } from './support/test-database';

const BEFORE_NORMALISATION = 1765300000000;
const SPAMMER = '+84987000222';
const UNTOUCHED = '+84987000333';
/** When the aggregator last counted SPAMMER: its windows end here. */
const T = Date.parse('2026-11-20T08:00:00Z');
const at = (minutesBefore: number) => new Date(T - minutesBefore * 60_000).toISOString();

interface SeededReport {
  number?: string;
  reporter: string;
  minutesBefore: number;
  kind?: string;
  category?: string;
  anonymised?: boolean;
}

async function seedReport(db: TestDatabase, report: SeededReport): Promise<void> {
  await db.query(
    `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                          number_type, weighted, received_at, anonymised_at)
     VALUES ($1::uuid, $2, $3, 'sms', '156', $1::text, $4, $5, 'mobile', true, $6, $7)`,
    [
      randomUUID(),
      report.number ?? SPAMMER,
      report.reporter,
      report.kind ?? 'spam_call',
      report.category ?? 'advertising',
      at(report.minutesBefore),
      report.anonymised ? at(0) : null,
    ],
  );
}

async function seedCounters(db: TestDatabase, number: string, distinct: [number, number, number, number]) {
  await db.query(
    `INSERT INTO subscriber_counters (reported_number, number_type, carrier, first_seen_at, last_seen_at, total_reports,
       counted_at, reports_1h, distinct_reporters_1h, reports_24h, distinct_reporters_24h, reports_7d,
       distinct_reporters_7d, reports_30d, distinct_reporters_30d, by_kind_30d, by_category_30d)
     VALUES ($1, 'mobile', 'viettel', $2, $3, 6, $3, 2, $4, 4, $5, 6, $6, 6, $7, '{}', '{}')`,
    [number, at(3 * 1440), at(0), ...distinct],
  );
}

async function seedReporter(db: TestDatabase, reporter: string, row: Record<string, string | null> = {}) {
  await db.query(
    `INSERT INTO reporters (reporter, standing, suspicious_since, cleared_at, cleared_by, first_seen_at, last_seen_at,
                            total_reports)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 1)`,
    [
      reporter,
      row.standing ?? 'normal',
      row.suspiciousSince ?? null,
      row.clearedAt ?? null,
      row.clearedBy ?? null,
      row.firstSeenAt ?? at(60),
      row.lastSeenAt ?? at(60),
    ],
  );
}

describe('the migration that gives stored reporters one identity', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('reporter_forms', { migrate: false });
    await migrate(db.url, { before: BEFORE_NORMALISATION });
  });
  afterAll(() => db.drop());

  it('stores every written form of a subscriber as E.164 and counts it as one reporter again', async () => {
    // As the code before stored them: one subscriber in three forms, a name, an anonymised report.
    await seedReport(db, { reporter: '84912345678', minutesBefore: 120 });
    await seedReport(db, {
      reporter: '0912345678',
      minutesBefore: 90,
      kind: 'scam_call',
      category: 'impersonation',
    });
    await seedReport(db, { reporter: '+84912345678', minutesBefore: 30 * 60 });
    await seedReport(db, { reporter: '+84912000001', minutesBefore: 30 });
    await seedReport(db, { reporter: 'Alice', minutesBefore: 20 });
    await seedReport(db, { reporter: 'anonymised', minutesBefore: 3 * 1440, anonymised: true });
    await seedCounters(db, SPAMMER, [2, 4, 6, 6]);
    // A number whose reporters were all canonical is not counted again.
    await seedReport(db, { number: UNTOUCHED, reporter: '+84912000001', minutesBefore: 10 });
    await seedCounters(db, UNTOUCHED, [9, 9, 9, 9]);
    await seedReporter(db, '84912345678', { firstSeenAt: at(120), lastSeenAt: at(120) });
    await seedReporter(db, '0912345678', {
      standing: 'suspicious',
      suspiciousSince: at(90),
      firstSeenAt: at(90),
      lastSeenAt: at(90),
    });
    await seedReporter(db, '+84912345678', {
      standing: 'cleared',
      clearedAt: at(1440),
      clearedBy: 'supervisor-1',
      firstSeenAt: at(30 * 60),
      lastSeenAt: at(30 * 60),
    });
    await seedReporter(db, '+84912000001');
    await seedReporter(db, 'Alice');
    await db.query(
      `INSERT INTO rejected_reports (channel, source_id, short_code, reporter, reason, received_at)
       VALUES ('sms', 'rej-1', '156', '0912345678', 'no_keyword', $1), ('sms', 'rej-2', '156', 'Alice', 'no_keyword', $1)`,
      [at(5)],
    );
    await db.query(
      `INSERT INTO raw_sms_messages (message_id, reporter, short_code, text, received_at, kafka_topic, kafka_partition,
                                     kafka_offset)
       VALUES ('raw-1', '84912345678', '156', 'V ...', $1, 'reports.sms.raw', 0, 0)`,
      [at(5)],
    );

    await migrate(db.url);

    expect(
      await db.query('SELECT DISTINCT reporter FROM reports WHERE reported_number = $1 ORDER BY 1', [
        SPAMMER,
      ]),
    ).toEqual([
      { reporter: '+84912000001' },
      { reporter: '+84912345678' },
      { reporter: 'Alice' },
      { reporter: 'anonymised' },
    ]);
    expect(await db.query('SELECT source_id, reporter FROM rejected_reports ORDER BY 1')).toEqual([
      { source_id: 'rej-1', reporter: '+84912345678' },
      { source_id: 'rej-2', reporter: 'Alice' },
    ]);
    expect(await db.query('SELECT reporter FROM raw_sms_messages')).toEqual([{ reporter: '+84912345678' }]);

    const reporters = await db.query<Record<string, unknown>>(
      `SELECT reporter, standing, suspicious_since, cleared_at, cleared_by, first_seen_at, last_seen_at, total_reports
         FROM reporters ORDER BY reporter`,
    );
    expect(reporters.map((r) => r.reporter)).toEqual(['+84912000001', '+84912345678', 'Alice']);
    expect(reporters[1]).toEqual({
      reporter: '+84912345678',
      standing: 'suspicious',
      suspicious_since: new Date(at(90)),
      cleared_at: new Date(at(1440)),
      cleared_by: 'supervisor-1',
      first_seen_at: new Date(at(30 * 60)),
      last_seen_at: new Date(at(90)),
      total_reports: '3',
    });

    const counters = await db.query<Record<string, unknown>>(
      `SELECT reported_number, reports_1h, distinct_reporters_1h, reports_24h, distinct_reporters_24h, reports_7d,
              distinct_reporters_7d, reports_30d, distinct_reporters_30d, by_kind_30d, by_category_30d
         FROM subscriber_counters ORDER BY reported_number`,
    );
    expect(counters).toEqual([
      {
        reported_number: SPAMMER,
        reports_1h: 2,
        distinct_reporters_1h: 2,
        reports_24h: 4,
        distinct_reporters_24h: 3,
        reports_7d: 6,
        distinct_reporters_7d: 4,
        reports_30d: 6,
        distinct_reporters_30d: 4,
        by_kind_30d: {
          spam_call: { reports: 5, distinctReporters: 4 },
          scam_call: { reports: 1, distinctReporters: 1 },
        },
        by_category_30d: {
          advertising: { reports: 5, distinctReporters: 4 },
          impersonation: { reports: 1, distinctReporters: 1 },
        },
      },
      {
        reported_number: UNTOUCHED,
        reports_1h: 2,
        distinct_reporters_1h: 9,
        reports_24h: 4,
        distinct_reporters_24h: 9,
        reports_7d: 6,
        distinct_reporters_7d: 9,
        reports_30d: 6,
        distinct_reporters_30d: 9,
        by_kind_30d: {},
        by_category_30d: {},
      },
    ]);
  });
});
