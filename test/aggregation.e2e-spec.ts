import { type FlagRow, reportTextKey } from '@abuse-monitor/persistence';
import { acceptedReport, asMessage, reporterNumber, T0 } from './support/accepted-report';
import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { committedAndEnd, produce, readTopic } from './support/kafka';
import { scrapeWhenListening, sumOf } from './support/metrics';
import { freePort } from './support/tcp-proxy';

const SPAMMER = '+84987000001';

type FlagColumns = Pick<
  FlagRow,
  'reported_number' | 'status' | 'severity' | 'rule_id' | 'rule_version' | 'possibly_coordinated' | 'kind'
>;

const reportCount = async (f: IngestFixture) =>
  Number((await f.db.query<{ n: string }>('SELECT count(*) AS n FROM reports'))[0].n);

const flagOf = async (f: IngestFixture, number: string) =>
  (await f.db.query<FlagColumns>('SELECT * FROM flags WHERE reported_number = $1', [number]))[0] ?? null;

const countersOf = async (f: IngestFixture, number: string) =>
  (
    await f.db.query<{ reports_24h: number; distinct_reporters_24h: number; total_reports: string }>(
      'SELECT reports_24h, distinct_reporters_24h, total_reports FROM subscriber_counters WHERE reported_number = $1',
      [number],
    )
  )[0];

describe('aggregation and flagging', () => {
  const harness = new Harness();
  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  async function sendAndWait(f: IngestFixture, reports: ReturnType<typeof acceptedReport>[]) {
    const before = await reportCount(f);
    await produce(f.kafka, f.topics.accepted, reports.map(asMessage));
    await eventually(
      () => reportCount(f),
      (n) => n >= before + reports.length,
    );
  }

  it('opens a flag at the third distinct reporter, not the second, counting a repeating reporter once', async () => {
    const f = await harness.fixture('threshold');
    harness.start('aggregator', f.env);
    const first = reporterNumber(1);
    await sendAndWait(f, [
      ...Array.from({ length: 10 }, (_, i) => acceptedReport(SPAMMER, first, i)),
      acceptedReport(SPAMMER, reporterNumber(2), 11),
    ]);
    expect(await flagOf(f, SPAMMER)).toBeNull();
    expect(await countersOf(f, SPAMMER)).toEqual({
      reports_24h: 11,
      distinct_reporters_24h: 2,
      total_reports: '11',
    });

    await sendAndWait(f, [acceptedReport(SPAMMER, reporterNumber(3), 12)]);
    expect(await flagOf(f, SPAMMER)).toMatchObject({
      status: 'open',
      severity: 'low',
      rule_id: 'distinct-3-24h',
      rule_version: 1,
      possibly_coordinated: false,
    });
    expect(await countersOf(f, SPAMMER)).toMatchObject({ distinct_reporters_24h: 3 });
    const history = await f.db.query<{ change: string; event_id: string; evidence: { measured: number } }>(
      'SELECT change, event_id, evidence FROM flag_history WHERE reported_number = $1 ORDER BY sequence',
      [SPAMMER],
    );
    expect(history.map((h) => [h.change, h.event_id])).toEqual([['opened', `flag:${SPAMMER}:1`]]);
    expect(history[0].evidence.measured).toBe(3);

    const events = await readTopic(f.kafka, f.topics.subscriberFlags, 1);
    expect(events.map((e) => [e.key, JSON.parse(e.value ?? '{}').type])).toEqual([[SPAMMER, 'opened']]);
  });

  it('gives a number its counters row with its second report, counting the first however old, or with a flag at its first', async () => {
    const f = await harness.fixture('firstrow');
    harness.start('aggregator', f.env);
    const [once, twice, flagged] = ['+84987000021', '+84987000022', '+84987000023'];
    // 40 days before the others: outside every window, still the number's first report.
    await sendAndWait(f, [
      acceptedReport(once, reporterNumber(1), 0),
      acceptedReport(twice, reporterNumber(1), -40 * 24 * 60),
    ]);
    expect(await countersOf(f, once)).toBeUndefined();
    expect(await countersOf(f, twice)).toBeUndefined();

    await sendAndWait(f, [acceptedReport(twice, reporterNumber(2), 5)]);
    expect(
      await f.db.query(
        `SELECT first_seen_at, last_seen_at, total_reports, reports_30d, distinct_reporters_30d
           FROM subscriber_counters WHERE reported_number = $1`,
        [twice],
      ),
    ).toEqual([
      {
        first_seen_at: new Date(T0 - 40 * 24 * 3600_000),
        last_seen_at: new Date(T0 + 5 * 60_000),
        total_reports: '2',
        reports_30d: 1,
        distinct_reporters_30d: 1,
      },
    ]);
    // And from then on it adds to the row, from memory or the database.
    await sendAndWait(f, [acceptedReport(twice, reporterNumber(3), 6)]);
    expect(await countersOf(f, twice)).toEqual({
      reports_24h: 2,
      distinct_reporters_24h: 2,
      total_reports: '3',
    });

    // A rule that fires on one report makes a flag at once, and the flag its number's row.
    await f.db.query(`UPDATE rules SET threshold = 1, updated_by = 'test' WHERE id = 'distinct-3-24h'`);
    await sendAndWait(f, [acceptedReport(flagged, reporterNumber(1), 10)]);
    expect(await flagOf(f, flagged)).toMatchObject({ rule_id: 'distinct-3-24h', rule_version: 2 });
    expect(await countersOf(f, flagged)).toEqual({
      reports_24h: 1,
      distinct_reporters_24h: 1,
      total_reports: '1',
    });
    expect(await countersOf(f, once)).toBeUndefined();
  });

  it('raises the severity when a stronger rule fires, and says so once', async () => {
    const f = await harness.fixture('raise');
    harness.start('aggregator', f.env);
    await sendAndWait(
      f,
      Array.from({ length: 5 }, (_, i) =>
        acceptedReport(SPAMMER, reporterNumber(i), i, { kind: 'scam_call' }),
      ),
    );
    expect(await flagOf(f, SPAMMER)).toMatchObject({ severity: 'high', rule_id: 'scam-distinct-5-24h' });
    const events = await readTopic(f.kafka, f.topics.subscriberFlags, 2);
    expect(events.map((e) => JSON.parse(e.value ?? '{}').type)).toEqual(['opened', 'raised']);
  });

  it('gives suspicious reporters no weight and never flags an allowlisted number, while counting both', async () => {
    const f = await harness.fixture('guard');
    await f.db.query(
      `INSERT INTO allowlist (kind, pattern, reason, owner) VALUES ('number', '+84900000111', 'bank hotline', 'fraud-team')`,
    );
    harness.start('aggregator', { ...f.env, REPORTER_DAILY_LIMIT: '3' });
    const noisy = reporterNumber(99);
    // Four reports in a day: the fourth makes the reporter suspicious.
    await sendAndWait(
      f,
      [1, 2, 3, 4].map((i) => acceptedReport(`+8498700010${i}`, noisy, i)),
    );
    await sendAndWait(f, [
      acceptedReport(SPAMMER, noisy, 10),
      acceptedReport(SPAMMER, reporterNumber(1), 11),
      acceptedReport(SPAMMER, reporterNumber(2), 12),
      ...[1, 2, 3, 4, 5].map((i) => acceptedReport('+84900000111', reporterNumber(i), 13 + i)),
    ]);
    expect(await flagOf(f, SPAMMER)).toBeNull();
    expect(await countersOf(f, SPAMMER)).toMatchObject({ distinct_reporters_24h: 3 });
    expect(await flagOf(f, '+84900000111')).toBeNull();
    expect(await countersOf(f, '+84900000111')).toMatchObject({ distinct_reporters_24h: 5 });
    const at = (minutes: number) => new Date(T0 + minutes * 60_000);
    const reporterRow = async (reporter: string) =>
      f.db.query(
        `SELECT standing, total_reports, first_seen_at, last_seen_at, suspicious_since FROM reporters WHERE reporter = $1`,
        [reporter],
      );
    expect(await reporterRow(noisy)).toEqual([
      {
        standing: 'suspicious',
        total_reports: '5',
        first_seen_at: at(1),
        last_seen_at: at(10),
        // Its reports went to several partitions, judged in whatever order they were stored.
        suspicious_since: expect.any(Date),
      },
    ]);
    // A first-time reporter who passes the limit within one batch: one produce call to one
    // partition is one record batch in the log, and a fetch returns a record batch whole.
    const burst = reporterNumber(98);
    await sendAndWait(
      f,
      [30, 31, 32, 33].map((minute) => acceptedReport('+84987000105', burst, minute)),
    );
    expect(await reporterRow(burst)).toEqual([
      {
        standing: 'suspicious',
        total_reports: '4',
        first_seen_at: at(30),
        last_seen_at: at(33),
        suspicious_since: at(33),
      },
    ]);

    await sendAndWait(f, [acceptedReport(SPAMMER, reporterNumber(3), 20)]);
    expect(await flagOf(f, SPAMMER)).toMatchObject({ status: 'open', severity: 'low' });
  });

  it('marks a flag possibly coordinated when a ring of reporters hits several numbers together, not a crowd', async () => {
    const f = await harness.fixture('ring');
    // Looked at again every second: a victim judged before the ring's other reports were stored
    // (on other partitions) is judged again once they are.
    harness.start('aggregator', {
      ...f.env,
      COORDINATION_REVIEW_INTERVAL_MS: '300',
      COORDINATION_REASSESS_AFTER_MS: '1000',
    });
    const ring = [1, 2, 3, 4, 5].map((i) => reporterNumber(500 + i));
    const victims = ['+84987000501', '+84987000502', '+84987000503', '+84987000504'];
    await sendAndWait(
      f,
      victims.flatMap((victim, v) => ring.map((reporter, r) => acceptedReport(victim, reporter, v * 10 + r))),
    );
    // A real spammer: reported by people who report nothing else.
    await sendAndWait(
      f,
      [1, 2, 3, 4, 5].map((i) => acceptedReport(SPAMMER, reporterNumber(900 + i), 60 + i)),
    );
    const expected = [
      { reported_number: SPAMMER, possibly_coordinated: false },
      ...victims.map((reported_number) => ({ reported_number, possibly_coordinated: true })),
    ];
    const marks = await eventually(
      () =>
        f.db.query<{ reported_number: string; possibly_coordinated: boolean }>(
          `SELECT reported_number, possibly_coordinated FROM flags
            WHERE coordination_assessed_at IS NOT NULL ORDER BY reported_number`,
        ),
      (rows) => JSON.stringify(rows) === JSON.stringify(expected),
      30_000,
    );
    expect(marks).toEqual(expected);
    const assessments = await f.db.query<{ n: string }>('SELECT count(*) AS n FROM flag_assessments');
    expect(Number(assessments[0].n)).toBeGreaterThanOrEqual(5);
  });

  it('applies a rule changed in the database to the next batch and records its version', async () => {
    const f = await harness.fixture('rulechange');
    // The change is read through its notification, not at the next refresh (decision 0062).
    harness.start('aggregator', { ...f.env, AGGREGATOR_RULES_REFRESH_MS: '600000' });
    await sendAndWait(f, [acceptedReport('+84987000002', reporterNumber(1), 0)]);
    await f.db.query(`UPDATE rules SET threshold = 2, updated_by = 'test' WHERE id = 'distinct-3-24h'`);
    await sendAndWait(f, [
      acceptedReport(SPAMMER, reporterNumber(1), 1),
      acceptedReport(SPAMMER, reporterNumber(2), 2),
    ]);
    expect(await flagOf(f, SPAMMER)).toMatchObject({ rule_id: 'distinct-3-24h', rule_version: 2 });
  });

  it('applies a rule changed while its notifications were cut, once it listens again', async () => {
    const f = await harness.fixture('rulesrelisten');
    const app = harness.start('aggregator', { ...f.env, AGGREGATOR_RULES_REFRESH_MS: '600000' });
    await sendAndWait(f, [acceptedReport('+84987000004', reporterNumber(1), 0)]);
    // The listening connection cut, as by a database restart, and the rule changed before it is back.
    await f.db.admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE '%-rules'`,
      [f.db.name],
    );
    await f.db.query(`UPDATE rules SET threshold = 2, updated_by = 'test' WHERE id = 'distinct-3-24h'`);
    await app.waitForLog(/listening for rule and allowlist notifications again/, 30_000);
    await sendAndWait(f, [
      acceptedReport(SPAMMER, reporterNumber(1), 1),
      acceptedReport(SPAMMER, reporterNumber(2), 2),
    ]);
    expect(await flagOf(f, SPAMMER)).toMatchObject({ rule_id: 'distinct-3-24h', rule_version: 2 });
  });

  it('applies an allowlist entry and a protected originator added while running to the next batch, and an ended entry when it ends', async () => {
    const f = await harness.fixture('inforce');
    // Only a notification or an entry's end may make the aggregator read them again here (decision 0062).
    harness.start('aggregator', { ...f.env, AGGREGATOR_RULES_REFRESH_MS: '600000' });
    await sendAndWait(f, [acceptedReport('+84987000003', reporterNumber(1), 0)]);
    const [allowlisted, shielded, ending] = ['+84987000011', '+84987000012', '+84987000013'];
    await f.db.query(
      `INSERT INTO allowlist (kind, pattern, reason, owner, expires_at) VALUES
         ('number', $1, 'bank hotline', 'fraud-team', NULL),
         ('number', $2, 'dismissed for a while', 'fraud-team', now() + interval '4 seconds')`,
      [allowlisted, ending],
    );
    await f.db.query(
      `INSERT INTO protected_originators (number, name, kind, reason, created_by, updated_by)
       VALUES ($1, 'a bank', 'bank', 'spoofed', 'test', 'test')`,
      [shielded],
    );
    const endsAt = Date.now() + 4_000;
    await sendAndWait(
      f,
      [allowlisted, shielded, ending].flatMap((n) =>
        [1, 2, 3].map((i) => acceptedReport(n, reporterNumber(i), i)),
      ),
    );
    expect(await flagOf(f, allowlisted)).toBeNull();
    expect(await flagOf(f, ending)).toBeNull();
    expect(await flagOf(f, shielded)).toMatchObject({ kind: 'spoofing' });
    await new Promise((resolve) => setTimeout(resolve, Math.max(endsAt - Date.now(), 0) + 500));
    await sendAndWait(
      f,
      [allowlisted, ending].flatMap((n) => [4, 5, 6].map((i) => acceptedReport(n, reporterNumber(i), i))),
    );
    expect(await flagOf(f, allowlisted)).toBeNull();
    expect(await flagOf(f, ending)).toMatchObject({ status: 'open', rule_id: 'distinct-3-24h' });
  });

  it('takes a report id in capitals for the uuid PostgreSQL stores: counted once, in one batch or later', async () => {
    const f = await harness.fixture('uuidcase');
    harness.start('aggregator', f.env);
    const number = '+84987000901';
    // Reporting twice: the second report counts, the reporter does not count again.
    const oddReporter = reporterNumber(777);
    const reports = [
      acceptedReport(number, oddReporter, 1),
      ...[2, 3].map((i) => acceptedReport(number, reporterNumber(40 + i), i)),
    ];
    const shouted = reports.map((r) => ({ ...r, reportId: r.reportId.toUpperCase() }));
    // The same report in both cases in one batch, then all of them again in lower case.
    await produce(f.kafka, f.topics.accepted, [...shouted, reports[0]].map(asMessage));
    await eventually(
      () => reportCount(f),
      (n) => n >= 3,
    );
    await produce(f.kafka, f.topics.accepted, reports.map(asMessage));
    await sendAndWait(f, [
      acceptedReport(number, oddReporter, 4),
      acceptedReport(number, reporterNumber(44), 5),
    ]);
    expect(await reportCount(f)).toBe(5);
    expect(await countersOf(f, number)).toEqual({
      reports_24h: 5,
      distinct_reporters_24h: 4,
      total_reports: '5',
    });
    expect(await flagOf(f, number)).toMatchObject({ severity: 'low', sequence: 1 });
    expect(
      await f.db.query('SELECT reporter, total_reports FROM reporters WHERE reporter LIKE $1', ['%777']),
    ).toEqual([{ reporter: oddReporter, total_reports: '2' }]);
  });

  it('stores a batch that holds stored reports again, counting only its new ones (decision 0078)', async () => {
    const f = await harness.fixture('storedagain');
    const metricsPort = await freePort();
    harness.start('aggregator', { ...f.env, METRICS_PORT: String(metricsPort) });
    const number = '+84987000951';
    const first = [1, 2].map((i) => acceptedReport(number, reporterNumber(60 + i), i));
    await sendAndWait(f, first);
    const batchesStoredAgain = async () =>
      sumOf(
        await scrapeWhenListening(metricsPort),
        'abuse_monitor_aggregator_batches_with_stored_reports_total',
      );
    expect(await batchesStoredAgain()).toBe(0);

    // One send to one partition: the two stored reports and two new ones come in one batch, whose
    // plain insert fails on the first stored one.
    const later = [3, 4].map((i) => acceptedReport(number, reporterNumber(60 + i), i));
    await produce(f.kafka, f.topics.accepted, [...first, ...later].map(asMessage));
    await eventually(
      () => committedAndEnd(f.kafka, f.aggregatorGroupId, f.topics.accepted),
      (o) => o.committed === o.end,
    );
    expect(await reportCount(f)).toBe(4);
    expect(await countersOf(f, number)).toEqual({
      reports_24h: 4,
      distinct_reporters_24h: 4,
      total_reports: '4',
    });
    expect(await flagOf(f, number)).toMatchObject({ status: 'open', sequence: 1 });
    expect(await batchesStoredAgain()).toBeGreaterThanOrEqual(1);
  });

  it('stores a batch again that holds only a stored report of one number reported once, and a new number', async () => {
    const f = await harness.fixture('rowlessagain');
    harness.start('aggregator', f.env);
    const stored = acceptedReport('+84987000961', reporterNumber(70), 0);
    await sendAndWait(f, [stored]);
    // One partition, one batch: neither number has a counters row, and only the second has a new report.
    const fresh = acceptedReport('+84987000962', reporterNumber(71), 1);
    await produce(
      f.kafka,
      f.topics.accepted,
      [stored, fresh].map((r) => ({ ...asMessage(r), partition: 0 })),
    );
    await eventually(
      () => committedAndEnd(f.kafka, f.aggregatorGroupId, f.topics.accepted),
      (o) => o.committed === o.end,
    );
    expect(await reportCount(f)).toBe(2);
    expect(await countersOf(f, '+84987000961')).toBeUndefined();
    expect(await countersOf(f, '+84987000962')).toBeUndefined();
  });

  it('stores beside each text the key of the text as stored, and none without a text (decision 0069)', async () => {
    const f = await harness.fixture('textkey');
    harness.start('aggregator', f.env);
    const number = '+84987000911';
    // From an older producer: bidi controls, which the aggregator strips before it keys the text.
    const texts = ['Trung \u202eTHUONG\u202c  xe may', '  trung thuong XE MAY', null];
    await sendAndWait(
      f,
      texts.map((content, i) => acceptedReport(number, reporterNumber(60 + i), i, { content })),
    );
    const rows = await f.db.query<{ content: string | null; text_key: string | null }>(
      'SELECT content, text_key FROM reports WHERE reported_number = $1 ORDER BY received_at',
      [number],
    );
    expect(rows.map((r) => r.content)).toEqual(['Trung THUONG  xe may', '  trung thuong XE MAY', null]);
    expect(rows.map((r) => r.text_key)).toEqual([
      reportTextKey('trung thuong xe may'),
      reportTextKey('trung thuong xe may'),
      null,
    ]);
  });

  it('sets aside a report PostgreSQL refuses and counts the rest of its batch', async () => {
    const f = await harness.fixture('refused');
    // Stands in for any value the database refuses that validation let through.
    await f.db.query(
      "ALTER TABLE reports ADD CONSTRAINT e2e_refused CHECK (content IS DISTINCT FROM 'refuse me')",
    );
    const reports = [1, 2, 3].map((i) =>
      acceptedReport(SPAMMER, reporterNumber(i), i, i === 2 ? { content: 'refuse me' } : {}),
    );
    await produce(f.kafka, f.topics.accepted, reports.map(asMessage));
    harness.start('aggregator', f.env);
    const stored = await eventually(
      () => f.db.query<{ report_id: string }>('SELECT report_id FROM reports ORDER BY received_at'),
      (rows) => rows.length === 2,
    );
    expect(stored.map((r) => r.report_id)).toEqual([reports[0].reportId, reports[2].reportId]);
    expect(await countersOf(f, SPAMMER)).toMatchObject({ distinct_reporters_24h: 2, total_reports: '2' });
    const [deadLetter] = (await readTopic(f.kafka, f.topics.deadLetter, 1)).map((m) =>
      JSON.parse(m.value ?? '{}'),
    );
    expect(deadLetter).toMatchObject({
      reason: 'unstorable',
      detail: 'PostgreSQL refused it (SQLSTATE 23514), table reports, constraint e2e_refused',
    });
    expect(JSON.parse(Buffer.from(deadLetter.valueBase64, 'base64').toString()).reportId).toBe(
      reports[1].reportId,
    );
  });

  it('changes nothing when reports are delivered again or replayed into a new consumer group', async () => {
    const f = await harness.fixture('replay');
    const reports = Array.from({ length: 40 }, (_, i) =>
      acceptedReport(`+8498700020${i % 4}`, reporterNumber(i % 13), i, {
        kind: i % 3 ? 'spam_call' : 'scam_call',
      }),
    );
    const first = harness.start('aggregator', f.env);
    await sendAndWait(f, reports);
    await eventually(
      () => f.db.query('SELECT 1 FROM outbox WHERE published_at IS NULL'),
      (r) => r.length === 0,
    );
    const snapshot = () =>
      Promise.all([
        f.db.query('SELECT * FROM subscriber_counters ORDER BY reported_number'),
        f.db.query(
          'SELECT reported_number, status, severity, rule_id, rule_version, sequence FROM flags ORDER BY reported_number',
        ),
        f.db.query(
          'SELECT reported_number, sequence, change, event_id FROM flag_history ORDER BY reported_number, sequence',
        ),
        f.db.query('SELECT count(*) FROM outbox'),
      ]);
    const before = await snapshot();
    expect((before[1] as unknown[]).length).toBeGreaterThan(0);

    await produce(f.kafka, f.topics.accepted, reports.slice(0, 10).map(asMessage));
    await first.stop('SIGTERM');
    const replay = harness.start('aggregator', {
      ...f.env,
      AGGREGATOR_GROUP_ID: `${f.env.AGGREGATOR_GROUP_ID}replay`,
    });
    const replayGroup = `${f.aggregatorGroupId}replay`;
    await eventually(
      () => committedAndEnd(f.kafka, replayGroup, f.topics.accepted),
      (o) => o.end === 50 && o.committed === 50,
    );
    expect(replay.logs).toMatch(/0 new reports/);
    expect(replay.logs).not.toMatch(/[1-9]\d* new reports/);
    expect(await snapshot()).toEqual(before);
  });
});
