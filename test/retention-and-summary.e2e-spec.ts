import { reportTextKey } from '@abuse-monitor/persistence';
import { ApiClient, createToken, expectProblem, startApi } from './support/api';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { DAY, MINUTE, SchedulerUnderTest } from './support/scheduler';
import {
  seedCounters,
  seedFlag,
  seedHistory,
  seedRawSms,
  seedRejection,
  seedReports,
  seedSubmission,
} from './support/seed';
import { DailySummaryJob, RetentionJob } from '../apps/scheduler/src/jobs';

const utc = (iso: string) => new Date(iso);

/**
 * 2026-11-28 in Asia/Ho_Chi_Minh (UTC+7) runs from 2026-11-27T17:00Z to 2026-11-28T17:00Z. Every
 * figure below is counted by hand from these rows.
 */
async function seedKnownDay(f: IngestFixture): Promise<void> {
  const spammer = '+84987000601';
  await seedReports(f.db, [
    // The first instant of the day counts; the last instant of the day before does not.
    { reportedNumber: spammer, reporter: '+84911000001', receivedAt: utc('2026-11-27T16:59:59.999Z') },
    { reportedNumber: spammer, reporter: '+84911000002', receivedAt: utc('2026-11-27T17:00:00Z') },
    {
      reportedNumber: spammer,
      reporter: '+84911000003',
      receivedAt: utc('2026-11-28T02:00:00Z'),
      kind: 'scam_call',
      category: 'impersonation',
      carrier: 'vinaphone',
    },
    {
      reportedNumber: spammer,
      reporter: '+84911000004',
      receivedAt: utc('2026-11-28T10:00:00Z'),
      shortCode: '5656',
      kind: 'spam_sms',
      category: 'gambling',
    },
    {
      reportedNumber: spammer,
      reporter: '+84911000005',
      receivedAt: utc('2026-11-28T16:59:59Z'),
      channel: 'hotline',
      kind: 'scam_call',
      category: 'impersonation',
      carrier: null,
    },
    { reportedNumber: spammer, reporter: '+84911000006', receivedAt: utc('2026-11-28T17:00:00Z') },
  ]);
  await seedRejection(f.db, { receivedAt: utc('2026-11-28T01:00:00Z'), reason: 'no_keyword' });
  await seedRejection(f.db, { receivedAt: utc('2026-11-28T02:00:00Z'), reason: 'no_keyword' });
  await seedRejection(f.db, { receivedAt: utc('2026-11-28T03:00:00Z'), reason: 'invalid_number' });
  await seedRejection(f.db, { receivedAt: utc('2026-11-27T12:00:00Z'), reason: 'no_keyword' });
  await seedRejection(f.db, {
    channel: 'hotline',
    receivedAt: utc('2026-11-28T05:00:00Z'),
    reason: 'invalid_fields',
  });

  // A: opened and warned an hour later. B: opened at 03:00 local, escalated, blocked 12 hours after
  // opening. C: opened the day before, reopened and dismissed. D: opened three days before, suspended.
  const flag = async (number: string) =>
    seedFlag(f.db, { number, openedAt: utc('2026-11-20T00:00:00Z'), sequence: 0 });
  const a = await flag('+84987000611');
  await seedHistory(f.db, a, '+84987000611', 1, 'opened', utc('2026-11-28T01:00:00Z'));
  await seedHistory(f.db, a, '+84987000611', 2, 'actioned', utc('2026-11-28T02:00:00Z'), 'warn');
  const b = await flag('+84987000612');
  await seedHistory(f.db, b, '+84987000612', 1, 'opened', utc('2026-11-27T20:00:00Z'));
  await seedHistory(f.db, b, '+84987000612', 2, 'escalated', utc('2026-11-28T05:00:00Z'));
  await seedHistory(f.db, b, '+84987000612', 3, 'actioned', utc('2026-11-28T08:00:00Z'), 'block_outgoing');
  const c = await flag('+84987000613');
  await seedHistory(f.db, c, '+84987000613', 1, 'opened', utc('2026-11-26T00:00:00Z'));
  await seedHistory(f.db, c, '+84987000613', 2, 'dismissed', utc('2026-11-26T01:00:00Z'));
  await seedHistory(f.db, c, '+84987000613', 3, 'reopened', utc('2026-11-28T03:00:00Z'));
  await seedHistory(f.db, c, '+84987000613', 4, 'dismissed', utc('2026-11-28T04:00:00Z'));
  const d = await flag('+84987000614');
  await seedHistory(f.db, d, '+84987000614', 1, 'opened', utc('2026-11-25T08:00:00Z'));
  await seedHistory(f.db, d, '+84987000614', 2, 'actioned', utc('2026-11-28T08:00:00Z'), 'suspend');
  // E: claimed the day before, and still undecided past its review SLA.
  const e = await flag('+84987000615');
  await seedHistory(f.db, e, '+84987000615', 1, 'opened', utc('2026-11-26T00:00:00Z'));
  await seedHistory(f.db, e, '+84987000615', 2, 'claimed', utc('2026-11-26T02:00:00Z'), null, 'open');
  await seedHistory(f.db, e, '+84987000615', 3, 'overdue', utc('2026-11-28T06:00:00Z'), null, 'in_review');
}

const EXPECTED = {
  date: '2026-11-28',
  timeZone: 'Asia/Ho_Chi_Minh',
  reports: {
    total: 4,
    byChannel: { hotline: 1, sms: 3 },
    byShortCode: { '156': 2, '5656': 1, none: 1 },
    byKind: { scam_call: 2, spam_call: 1, spam_sms: 1 },
    byCategory: { gambling: 1, impersonation: 2, unknown: 1 },
    byCarrier: { unknown: 1, viettel: 2, vinaphone: 1 },
  },
  rejections: {
    total: 4,
    byReason: { invalid_fields: 1, invalid_number: 1, no_keyword: 2 },
    byChannel: { hotline: 1, sms: 3 },
  },
  flags: {
    opened: 2,
    reopened: 1,
    raised: 0,
    escalated: 1,
    overdue: 0,
    reviewOverdue: 1,
    actioned: 3,
    actionedByAction: { block_outgoing: 1, suspend: 1, warn: 1 },
    dismissed: 1,
    expired: 0,
    spoofingOpened: 0,
  },
  // 1 h, 12 h and 3 days: the median is 12 h; the 90th percentile interpolates 80% of the way from
  // 12 h to 3 days: 43 200 + 0.8 × 216 000 = 216 000 s.
  timeToActionSeconds: { count: 3, median: 43_200, p90: 216_000 },
  appeals: { received: 0, upheld: 0, reversed: 0, overdue: 0 },
};

const EXPECTED_CSV = [
  'section,key,value',
  'summary,date,2026-11-28',
  'summary,timeZone,Asia/Ho_Chi_Minh',
  'reports,total,4',
  'reports.byChannel,hotline,1',
  'reports.byChannel,sms,3',
  'reports.byShortCode,156,2',
  'reports.byShortCode,5656,1',
  'reports.byShortCode,none,1',
  'reports.byKind,scam_call,2',
  'reports.byKind,spam_call,1',
  'reports.byKind,spam_sms,1',
  'reports.byCategory,gambling,1',
  'reports.byCategory,impersonation,2',
  'reports.byCategory,unknown,1',
  'reports.byCarrier,unknown,1',
  'reports.byCarrier,viettel,2',
  'reports.byCarrier,vinaphone,1',
  'rejections,total,4',
  'rejections.byReason,invalid_fields,1',
  'rejections.byReason,invalid_number,1',
  'rejections.byReason,no_keyword,2',
  'rejections.byChannel,hotline,1',
  'rejections.byChannel,sms,3',
  'flags,opened,2',
  'flags,reopened,1',
  'flags,raised,0',
  'flags,escalated,1',
  'flags,overdue,0',
  'flags,reviewOverdue,1',
  'flags,actioned,3',
  'flags.actionedByAction,block_outgoing,1',
  'flags.actionedByAction,suspend,1',
  'flags.actionedByAction,warn,1',
  'flags,dismissed,1',
  'flags,expired,0',
  'flags,spoofingOpened,0',
  'timeToActionSeconds,count,3',
  'timeToActionSeconds,median,43200',
  'timeToActionSeconds,p90,216000',
  'appeals,received,0',
  'appeals,upheld,0',
  'appeals,reversed,0',
  'appeals,overdue,0',
]
  .map((line) => `${line}\r\n`)
  .join('');

describe('the daily summary and retention', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let scheduler: SchedulerUnderTest;
  let api: ApiClient;
  let supervisor: string;

  beforeAll(async () => {
    f = await harness.fixture('summary');
    scheduler = await SchedulerUnderTest.start(f, {
      RETENTION_PERIOD: '90d',
      SUMMARY_TIME_ZONE: 'Asia/Ho_Chi_Minh',
    });
    api = await startApi(harness, f);
    supervisor = (await createToken(f.db.url, 'sup', 'supervisor')).secret;
    await seedKnownDay(f);
  });
  afterAll(async () => {
    await scheduler.close();
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('summarises a known day to the hand-computed figures, in JSON and in CSV, the same on every regeneration', async () => {
    // The job at 00:15 local on the 29th summarises the 28th.
    expect(await scheduler.run(DailySummaryJob, utc('2026-11-28T17:15:00Z'))).toEqual({
      outcome: 'succeeded',
      items: 1,
    });
    const json = await api.get('/api/v1/summaries/daily?date=2026-11-28', supervisor);
    expect(json.status).toBe(200);
    expect(json.body).toEqual(EXPECTED);

    const csv = await api.get('/api/v1/summaries/daily?date=2026-11-28', supervisor, { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.contentType).toMatch(/^text\/csv/);
    expect(csv.text).toBe(EXPECTED_CSV);

    const stored = async () =>
      (
        await f.db.query<{ summary: string }>(
          `SELECT summary::text FROM daily_summaries WHERE day = '2026-11-28'`,
        )
      )[0].summary;
    const first = await stored();
    await scheduler.job(DailySummaryJob).generate('2026-11-28');
    expect(await stored()).toBe(first);

    expectProblem(await api.get('/api/v1/summaries/daily?date=2026-11-27', supervisor), 404);

    // Ticks missed on the 30th and the 1st: the tick of the 2nd makes up for them.
    expect(await scheduler.run(DailySummaryJob, utc('2026-12-01T17:15:00Z'))).toEqual({
      outcome: 'succeeded',
      items: 3,
    });
    const days = await f.db.query<{ day: string }>(
      `SELECT day::text AS day FROM daily_summaries WHERE day > '2026-11-28' ORDER BY day`,
    );
    expect(days.map((d) => d.day)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
    expect(await stored()).toBe(first);
    expectProblem(await api.get('/api/v1/summaries/daily?date=2026-02-30', supervisor), 400);
  });

  it('anonymises what is older than the retention period and nothing else, leaving counts and summaries as they were', async () => {
    const now = utc('2026-11-29T00:00:00Z');
    const cutoff = new Date(now.getTime() - 90 * DAY);
    const old = new Date(cutoff.getTime() - MINUTE);
    const recent = new Date(cutoff.getTime() + MINUTE);
    const number = '+84987000701';
    const [oldReport, recentReport] = await seedReports(f.db, [
      { reportedNumber: number, reporter: '+84911000701', receivedAt: old, content: 'goi quang cao' },
      { reportedNumber: number, reporter: '+84911000702', receivedAt: recent, content: 'lua dao' },
    ]);
    const oldSms = await seedRawSms(f.db, {
      receivedAt: old,
      reporter: '+84911000701',
      rejectionReason: 'no_keyword',
    });
    const recentSms = await seedRawSms(f.db, { receivedAt: recent, reporter: '+84911000702' });
    const oldSubmission = await seedSubmission(f.db, { storedAt: old, rejectionReason: 'invalid_fields' });
    const recentSubmission = await seedSubmission(f.db, { storedAt: recent });
    // What the aggregator stores now: the two old rejections, and a recent one.
    const oldRejections = [
      await seedRejection(f.db, { receivedAt: old, reporter: '+84911000701', reason: 'no_keyword' }),
      await seedRejection(f.db, { channel: 'hotline', receivedAt: old, reason: 'invalid_fields' }),
    ];
    const recentRejection = await seedRejection(f.db, {
      receivedAt: recent,
      reporter: '+84911000702',
      reason: 'no_keyword',
    });
    await f.db.query(
      `INSERT INTO reporters (reporter, standing, first_seen_at, last_seen_at, total_reports)
       VALUES ('+84911000701', 'suspicious', $1, $1, 40), ('+84911000702', 'normal', $2, $2, 1)`,
      [old, recent],
    );
    await f.db.query(
      `INSERT INTO agent_submissions (submission_key, agent_id, report_id, status, submission, submitted_at)
       SELECT 'agent-17:' || k, 'agent-17', gen_random_uuid(), 'held',
              jsonb_build_object('reporter', '0911000703', 'kind', 'spam_call', 'description', 'goi quang cao'), at
         FROM unnest($1::text[], $2::timestamptz[]) AS b(k, at)`,
      [
        ['old', 'recent'],
        [old, recent],
      ],
    );
    await seedCounters(f.db, number, recent, 2);
    await seedFlag(f.db, { number, openedAt: old });
    await f.db.query(`UPDATE flags SET evidence = $2 WHERE reported_number = $1`, [
      number,
      JSON.stringify({ reportIds: [oldReport, recentReport], measured: 2, threshold: 2 }),
    ]);
    // The summary of the day the old rows belong to, made before retention.
    const oldDay = '2026-08-31';
    await scheduler.job(DailySummaryJob).generate(oldDay);
    const snapshot = async () => ({
      counters: await f.db.query(`SELECT * FROM subscriber_counters WHERE reported_number = $1`, [number]),
      flags: await f.db.query(`SELECT evidence, sequence, status FROM flags WHERE reported_number = $1`, [
        number,
      ]),
      summaries: await f.db.query(`SELECT day::text AS day, summary::text FROM daily_summaries ORDER BY day`),
      reportCount: await f.db.query(`SELECT count(*) FROM reports`),
    });
    const before = await snapshot();
    const storedOld = before.summaries.find((s) => s.day === oldDay)?.summary as string;
    // Both seeded reports fall on that day in Vietnam (06:59 and 07:01 local time), with the three rejections.
    expect(JSON.parse(storedOld)).toMatchObject({
      reports: { total: 2 },
      rejections: { total: 3 },
    });

    const run = await scheduler.run(RetentionJob, now);
    expect(run.outcome).toBe('succeeded');

    const reports = await f.db.query<{
      report_id: string;
      reporter: string;
      content: string | null;
      text_key: string | null;
      anonymised_at: Date | null;
    }>(
      `SELECT report_id, reporter, content, text_key, anonymised_at FROM reports WHERE reported_number = $1`,
      [number],
    );
    const byId = new Map(reports.map((r) => [r.report_id, r]));
    // The text's key is a fingerprint of it: it goes with the text.
    expect(byId.get(oldReport)).toMatchObject({ reporter: 'anonymised', content: null, text_key: null });
    expect(byId.get(oldReport)?.anonymised_at).not.toBeNull();
    expect(byId.get(recentReport)).toMatchObject({
      reporter: '+84911000702',
      content: 'lua dao',
      text_key: reportTextKey('lua dao'),
      anonymised_at: null,
    });

    const sms = await f.db.query<{
      message_id: string;
      reporter: string;
      text: string;
      rejection_reason: string | null;
    }>(
      `SELECT message_id, reporter, text, rejection_reason FROM raw_sms_messages WHERE message_id = ANY($1)`,
      [[oldSms, recentSms]],
    );
    expect(sms.find((s) => s.message_id === oldSms)).toMatchObject({
      reporter: 'anonymised',
      text: '',
      rejection_reason: 'no_keyword',
    });
    expect(sms.find((s) => s.message_id === recentSms)).toMatchObject({ reporter: '+84911000702' });

    const submissions = await f.db.query<{
      submission_id: string;
      payload: Record<string, unknown>;
      rejection_reason: string | null;
    }>(
      `SELECT submission_id, payload, rejection_reason FROM submitted_reports WHERE submission_id = ANY($1)`,
      [[oldSubmission, recentSubmission]],
    );
    const oldPayload = submissions.find((s) => s.submission_id === oldSubmission);
    expect(oldPayload).toMatchObject({
      payload: { kind: 'scam_call', anonymised: true },
      rejection_reason: 'invalid_fields',
    });
    expect(JSON.stringify(oldPayload?.payload)).not.toMatch(/8491|description|gia danh/);
    expect(submissions.find((s) => s.submission_id === recentSubmission)?.payload).toMatchObject({
      reporter: '+84911000998',
      description: 'goi gia danh ngan hang',
    });

    const rejections = await f.db.query<{ source_id: string; reporter: string; reason: string }>(
      `SELECT source_id, reporter, reason FROM rejected_reports WHERE source_id = ANY($1) ORDER BY source_id`,
      [[...oldRejections, recentRejection]],
    );
    expect(rejections).toEqual(
      [
        { source_id: oldRejections[0], reporter: 'anonymised', reason: 'no_keyword' },
        { source_id: oldRejections[1], reporter: 'anonymised', reason: 'invalid_fields' },
        { source_id: recentRejection, reporter: '+84911000702', reason: 'no_keyword' },
      ].sort((a, b) => a.source_id.localeCompare(b.source_id)),
    );

    expect(
      (await f.db.query<{ reporter: string }>(`SELECT reporter FROM reporters ORDER BY reporter`)).map(
        (r) => r.reporter,
      ),
    ).toEqual(['+84911000702']);

    // No reporter number or content of an old report remains anywhere in its rows.
    const leftovers = await f.db.query(
      `SELECT 1 FROM reports WHERE received_at < $1 AND (reporter <> 'anonymised' OR content IS NOT NULL OR text_key IS NOT NULL)
       UNION ALL SELECT 1 FROM raw_sms_messages WHERE received_at < $1 AND (reporter <> 'anonymised' OR text <> '')
       UNION ALL SELECT 1 FROM rejected_reports WHERE received_at < $1 AND reporter <> 'anonymised'
       UNION ALL SELECT 1 FROM agent_submissions WHERE submitted_at < $1 AND submission <> '{"kind": "spam_call", "anonymised": true}'`,
      [cutoff],
    );
    expect(leftovers).toEqual([]);
    const heldRecently = await f.db.query<{ reporter: string }>(
      `SELECT submission ->> 'reporter' AS reporter FROM agent_submissions WHERE submitted_at >= $1`,
      [cutoff],
    );
    expect(heldRecently).toEqual([{ reporter: '0911000703' }]);

    expect(await snapshot()).toEqual(before);
    // Regenerating the old day after retention gives the same summary.
    await scheduler.job(DailySummaryJob).generate(oldDay);
    const regenerated = (
      await f.db.query<{ summary: string }>(`SELECT summary::text FROM daily_summaries WHERE day = $1`, [
        oldDay,
      ])
    )[0].summary;
    expect(regenerated).toBe(storedOld);

    // Running it again finds nothing left to do.
    expect(await scheduler.run(RetentionJob, new Date(now.getTime() + MINUTE))).toEqual({
      outcome: 'succeeded',
      items: 0,
    });
  });

  it('deletes console sessions a day after they ended or expired, and no live one', async () => {
    const now = utc('2026-11-30T00:00:00Z'); // a day of its own: the job runs once a day
    const token = await createToken(f.db.url, 'retention-sessions', 'analyst');
    const at = (hoursBeforeNow: number) => new Date(now.getTime() - hoursBeforeNow * 3_600_000);
    const sessions: [string, Date, Date, Date | null][] = [
      // label, created, expires, ended
      ['signed out 2 days ago', at(50), at(-10), at(48)],
      ['expired 2 days ago', at(60), at(48), null],
      ['signed out an hour ago', at(5), at(-10), at(1)],
      ['live', at(2), at(-10), null],
    ];
    for (const [label, created, expires, ended] of sessions)
      await f.db.query(
        `INSERT INTO api_sessions (id, token_id, session_hash, created_at, expires_at, last_seen_at, ended_at, ended_by)
         VALUES (gen_random_uuid(), $1, encode(sha256($2::bytea), 'hex'), $3, $4, $3, $5, $6)`,
        [token.id, label, created, expires, ended, ended ? 'test' : null],
      );

    const run = await scheduler.run(RetentionJob, now);
    expect(run.outcome).toBe('succeeded');

    const left = await f.db.query<{ session_hash: string }>(
      `SELECT session_hash FROM api_sessions WHERE token_id = $1`,
      [token.id],
    );
    const hashes = await f.db.query<{ label: string; hash: string }>(
      `SELECT label, encode(sha256(label::bytea), 'hex') AS hash FROM unnest($1::text[]) AS l(label)`,
      [sessions.map(([label]) => label)],
    );
    const labelOf = new Map(hashes.map((h) => [h.hash, h.label]));
    expect(left.map((r) => labelOf.get(r.session_hash)).sort()).toEqual(['live', 'signed out an hour ago']);
  });
});
