import { ApiClient, startApi, tokensForEveryRole, type RoleTokens } from './support/api';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { seedCounters, seedFlag, seedHistory, seedReports } from './support/seed';

const ODD = '+84987000601';
const SUMMARY_DAY = '2026-11-28';
const HOSTILE_KEYS = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1:A9)', '\tcmd'];

/**
 * Values this version does not know, written straight into the tables (by hand, by a newer
 * version, or before a contract held them): the read paths show them as 'unknown' and answer 200.
 */
async function seedOddValues(f: IngestFixture): Promise<string> {
  // A newer version may know statuses this one does not: its constraint would allow them.
  await f.db.query('ALTER TABLE flags DROP CONSTRAINT flags_status_check');
  const opened = new Date(Date.now() - 3_600_000);
  const flagId = await seedFlag(f.db, { number: ODD, openedAt: opened });
  await f.db.query(
    `UPDATE flags SET status = 'frozen', recommended_action = 'disconnect', taken_action = 'shout',
            evidence = '{"ruleId": 7, "counts": "lots"}'::jsonb
      WHERE id = $1`,
    [flagId],
  );
  await seedHistory(f.db, flagId, ODD, 2, 'migrated', new Date(), 'shout', 'frozen');
  await seedCounters(f.db, ODD, opened);
  await f.db.query(
    `UPDATE subscriber_counters SET number_type = 'satellite', carrier = 'acme',
            by_category_30d = '{"phishing": {"reports": 1, "distinctReporters": 1}}'::jsonb
      WHERE reported_number = $1`,
    [ODD],
  );
  await seedReports(f.db, [
    {
      reportedNumber: ODD,
      reporter: '+84912000601',
      receivedAt: opened,
      kind: 'spam_fax',
      category: 'phishing',
      carrier: 'acme',
    },
  ]);
  await f.db.query(`UPDATE reports SET channel = 'pigeon' WHERE reported_number = $1`, [ODD]);
  return flagId;
}

describe('read paths over stored values this version does not know', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let tokens: RoleTokens;
  let flagId: string;

  beforeAll(async () => {
    f = await harness.fixture('stored-values');
    flagId = await seedOddValues(f);
    const summary = {
      date: SUMMARY_DAY,
      timeZone: 'Asia/Ho_Chi_Minh',
      reports: {
        total: 5,
        byChannel: { sms: 5 },
        byShortCode: Object.fromEntries(HOSTILE_KEYS.map((key) => [key, 1])),
        byKind: { spam_call: 5 },
        byCategory: { unknown: 5 },
        byCarrier: { viettel: 5 },
      },
      rejections: { total: 0, byReason: {}, byChannel: {} },
      flags: {
        opened: 0,
        reopened: 0,
        raised: 0,
        escalated: 0,
        overdue: 0,
        reviewOverdue: 0,
        actioned: 0,
        actionedByAction: {},
        dismissed: 0,
        expired: 0,
      },
      timeToActionSeconds: { count: 0, median: null, p90: null },
    };
    await f.db.query(
      `INSERT INTO daily_summaries (day, time_zone, summary) VALUES ($1, 'Asia/Ho_Chi_Minh', $2::jsonb)`,
      [SUMMARY_DAY, JSON.stringify(summary)],
    );
    tokens = await tokensForEveryRole(f.db.url);
    api = await startApi(harness, f);
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('lists the flag in the review queue, its unknown values shown as unknown', async () => {
    const queue = await api.get('/api/v1/flags', tokens.analyst);
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([
      expect.objectContaining({
        reportedNumber: ODD,
        status: 'unknown',
        recommendedAction: 'unknown',
        takenAction: 'unknown',
        numberType: 'unknown',
        carrier: 'unknown',
      }),
    ]);
  });

  it("shows the flag's page, with the unknown report, counters and history, and no evidence it cannot read", async () => {
    const flag = await api.get(`/api/v1/flags/${flagId}`, tokens.analyst);
    expect(flag.status).toBe(200);
    expect(flag.body).toMatchObject({
      status: 'unknown',
      evidence: null,
      counters: { numberType: 'unknown', carrier: 'unknown', byCategory30d: { phishing: { reports: 1 } } },
      recentReports: [{ channel: 'unknown', kind: 'unknown', category: 'unknown' }],
    });
    expect(flag.body.history[1]).toMatchObject({
      change: 'unknown',
      fromStatus: 'unknown',
      takenAction: 'unknown',
    });
  });

  it('shows the subscriber view of the number', async () => {
    const subscriber = await api.get(`/api/v1/subscribers/${encodeURIComponent(ODD)}`, tokens.analyst);
    expect(subscriber.status).toBe(200);
    expect(subscriber.body).toMatchObject({
      flag: { status: 'unknown', carrier: 'unknown' },
      counters: { numberType: 'unknown' },
      recentReports: [{ kind: 'unknown', category: 'unknown', channel: 'unknown' }],
    });
  });

  it('writes CSV cells a spreadsheet would run as formulas as plain text', async () => {
    const csv = await api.get(`/api/v1/summaries/daily?date=${SUMMARY_DAY}`, tokens.supervisor, {
      accept: 'text/csv',
    });
    expect(csv.status).toBe(200);
    const cells = csv.text
      .split('\r\n')
      .filter((line) => line.startsWith('reports.byShortCode,'))
      .map((line) => line.slice('reports.byShortCode,'.length).replace(/,1$/, '').replace(/^"|"$/g, ''));
    expect(cells).toHaveLength(HOSTILE_KEYS.length);
    for (const cell of cells) expect(cell).toMatch(/^'[=+\-@\t]/);
  });
});
