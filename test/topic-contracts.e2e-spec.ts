import { randomUUID } from 'node:crypto';
import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { startApi, tokensForEveryRole } from './support/api';
import { eventually } from './support/app-process';
import { Harness } from './support/ingest-fixture';
import { committedAndEnd, createTopics, produce, readTopic } from './support/kafka';

const SPAMMER = '+84987000501';

interface DeadLetter {
  reason: string;
  detail: string;
  source: { topic: string };
  valueBase64: string;
}

const original = (deadLetter: DeadLetter) =>
  JSON.parse(Buffer.from(deadLetter.valueBase64, 'base64').toString('utf8')) as Record<string, unknown>;

/**
 * The broker authenticates nobody, so anything on reports.accepted or reports.rejected may be
 * forged. The aggregator holds each record to its topic's contract: what fails is dead-lettered
 * with the reason and never stored, and the records around it are counted as usual.
 */
describe('the contracts of the topics the aggregator reads', () => {
  const harness = new Harness();
  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  it('dead-letters forged accepted reports with their reason, counts the valid ones around them, and the queue answers', async () => {
    const f = await harness.fixture('forged-accepted');
    const forged = {
      category: acceptedReport(SPAMMER, reporterNumber(801), 2, { category: 'phishing' as 'unknown' }),
      police: acceptedReport('+84113', reporterNumber(802), 3),
      reporter: acceptedReport(SPAMMER, `+84${'9'.repeat(5_000)}`, 4),
      year9999: acceptedReport(SPAMMER, reporterNumber(804), 5, { receivedAt: '9999-12-31T00:00:00Z' }),
      controlInReporter: acceptedReport(SPAMMER, '+8491\u0000777', 6),
      carrierOfAnotherNumber: acceptedReport(SPAMMER, reporterNumber(805), 6, { carrier: 'mobifone' }),
      hotlineWithoutAgent: acceptedReport(SPAMMER, reporterNumber(806), 7, {
        channel: 'hotline',
        shortCode: null,
        agentId: null,
      }),
    };
    const valid = [1, 8, 9].map((minute, i) => acceptedReport(SPAMMER, reporterNumber(810 + i), minute));
    // Valid, forged, valid, forged...: the forged ones sit between valid ones of the same partition.
    const sequence = [valid[0], ...Object.values(forged), valid[1], valid[2]];
    await produce(f.kafka, f.topics.accepted, sequence.map(asMessage));
    harness.start('aggregator', f.env);

    const stored = await eventually(
      () => f.db.query<{ source_id: string }>('SELECT source_id FROM reports ORDER BY received_at'),
      (rows) => rows.length >= 3,
    );
    const deadLetters = (await readTopic(f.kafka, f.topics.deadLetter, 7)).map(
      (m) => JSON.parse(m.value ?? '{}') as DeadLetter,
    );
    const reasonOf = (report: { reportId: string }) => {
      const found = deadLetters.find((d) => original(d).reportId === report.reportId);
      return found ? `${found.reason}: ${found.detail}` : 'not dead-lettered';
    };
    expect(reasonOf(forged.category)).toMatch(/^invalid_fields: category: /);
    expect(reasonOf(forged.police)).toMatch(
      /^invalid_fields: reportedNumber: is a protected number \(emergency or reporting short code\)/,
    );
    expect(reasonOf(forged.reporter)).toMatch(/^invalid_fields: reporter: must be at most 64 characters/);
    expect(reasonOf(forged.year9999)).toMatch(
      /^invalid_fields: receivedAt: must not be more than 24 hours ahead/,
    );
    expect(reasonOf(forged.controlInReporter)).toMatch(/^invalid_fields: reporter: must not hold control/);
    expect(reasonOf(forged.carrierOfAnotherNumber)).toMatch(
      /^invalid_fields: carrier: does not match the reported number/,
    );
    expect(reasonOf(forged.hotlineWithoutAgent)).toMatch(/^invalid_fields: agentId: must be given/);
    expect(deadLetters.every((d) => d.source.topic === f.topics.accepted)).toBe(true);

    // Only the valid ones were stored and counted; the forged ones left nothing behind.
    expect(stored.map((r) => r.source_id)).toEqual(valid.map((r) => r.sourceId));
    expect(
      await f.db.query(`SELECT count(*)::int AS n FROM reports WHERE reported_number = '+84113'`),
    ).toEqual([{ n: 0 }]);
    expect(await f.db.query(`SELECT count(*)::int AS n FROM subscriber_counters`)).toEqual([{ n: 1 }]);
    expect(
      await f.db.query(
        `SELECT count(*)::int AS n FROM reporters WHERE length(reporter) > 64 OR reporter LIKE '%777'`,
      ),
    ).toEqual([{ n: 0 }]);
    const [counters] = await f.db.query<{ total_reports: string; distinct_reporters_24h: number }>(
      `SELECT total_reports, distinct_reporters_24h FROM subscriber_counters WHERE reported_number = $1`,
      [SPAMMER],
    );
    expect(counters).toEqual({ total_reports: '3', distinct_reporters_24h: 3 });
    const offsets = await eventually(
      () => committedAndEnd(f.kafka, f.aggregatorGroupId, f.topics.accepted),
      (o) => o.committed === o.end,
    );
    expect(offsets).toEqual({ committed: sequence.length, end: sequence.length });

    const tokens = await tokensForEveryRole(f.db.url);
    const api = await startApi(harness, f);
    const queue = await api.get('/api/v1/flags', tokens.analyst);
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((flag: { reportedNumber: string }) => flag.reportedNumber)).toEqual([
      SPAMMER,
    ]);
    const subscriber = await api.get(`/api/v1/subscribers/${encodeURIComponent(SPAMMER)}`, tokens.analyst);
    expect(subscriber.status).toBe(200);
    expect(subscriber.body.recentReports).toHaveLength(3);
  });

  it('dead-letters forged rejections and stores the valid ones around them', async () => {
    const f = await harness.fixture('forged-rejected');
    const now = new Date().toISOString();
    const rejection = (fields: Record<string, unknown> = {}) => ({
      sourceId: `gw-${randomUUID()}`,
      channel: 'sms',
      shortCode: '156',
      reporter: '+84912000111',
      reason: 'not_a_report',
      detail: 'no keyword',
      notAReportKind: null,
      fieldErrors: null,
      text: 'xin chao',
      receivedAt: now,
      rejectedAt: now,
      ...fields,
    });
    const valid = [rejection(), rejection()];
    const forged = [
      rejection({ receivedAt: '9999-12-31T00:00:00Z' }),
      rejection({ text: 'x'.repeat(100_000) }),
      rejection({ channel: 'carrier-pigeon' }),
    ];
    await createTopics(f.kafka, [f.topics.rejected]);
    await produce(
      f.kafka,
      f.topics.rejected,
      [valid[0], ...forged, valid[1]].map((r) => ({ key: r.reporter, value: JSON.stringify(r) })),
    );
    harness.start('aggregator', f.env);
    const deadLetters = (await readTopic(f.kafka, f.topics.deadLetter, 3)).map(
      (m) => JSON.parse(m.value ?? '{}') as DeadLetter,
    );
    expect(deadLetters.map((d) => original(d).sourceId).sort()).toEqual(forged.map((r) => r.sourceId).sort());
    expect(deadLetters.map((d) => d.detail.split(':')[0]).sort()).toEqual(['channel', 'receivedAt', 'text']);
    const stored = await eventually(
      () => f.db.query<{ source_id: string }>('SELECT source_id FROM rejected_reports ORDER BY source_id'),
      (rows) => rows.length >= 2,
    );
    expect(stored.map((r) => r.source_id)).toEqual(valid.map((r) => r.sourceId).sort());
  });

  it('dead-letters a bidi control in an identifier and strips one from a stored text', async () => {
    const f = await harness.fixture('bidi-controls');
    const reversedShortCode = acceptedReport(SPAMMER, reporterNumber(901), 1, { shortCode: '\u202e651' });
    const reorderedContent = acceptedReport(SPAMMER, reporterNumber(902), 2, {
      content: 'tai file \u202egnp.exe va goi lai',
    });
    const now = new Date().toISOString();
    const rejection = (fields: Record<string, unknown>) => ({
      sourceId: `gw-${randomUUID()}`,
      channel: 'sms',
      shortCode: '156',
      reporter: '+84912000111',
      reason: 'not_a_report',
      detail: 'no keyword',
      notAReportKind: null,
      fieldErrors: null,
      text: 'xin chao',
      receivedAt: now,
      rejectedAt: now,
      ...fields,
    });
    const reversedRejectionShortCode = rejection({ shortCode: '15\u202e6' });
    const reporterWithControl = rejection({ reporter: '\u202e+84912000111', text: '\u202eV 0912' });
    await createTopics(f.kafka, [f.topics.rejected]);
    await produce(f.kafka, f.topics.accepted, [reversedShortCode, reorderedContent].map(asMessage));
    await produce(
      f.kafka,
      f.topics.rejected,
      [reversedRejectionShortCode, reporterWithControl].map((r) => ({ key: null, value: JSON.stringify(r) })),
    );
    harness.start('aggregator', f.env);

    const deadLetters = (await readTopic(f.kafka, f.topics.deadLetter, 2)).map(
      (m) => JSON.parse(m.value ?? '{}') as DeadLetter,
    );
    const reasons = deadLetters.map((d) => `${d.source.topic}: ${d.reason}: ${d.detail}`).sort();
    expect(reasons).toEqual([
      expect.stringMatching(
        new RegExp(`^${f.topics.accepted}: invalid_fields: shortCode: must be a short code of 2 to 8 digits`),
      ),
      expect.stringMatching(
        new RegExp(`^${f.topics.rejected}: invalid_fields: shortCode: must be a short code of 2 to 8 digits`),
      ),
    ]);
    const stored = await eventually(
      () => f.db.query<{ source_id: string; content: string }>('SELECT source_id, content FROM reports'),
      (rows) => rows.length >= 1,
    );
    expect(stored).toEqual([
      { source_id: reorderedContent.sourceId, content: 'tai file gnp.exe va goi lai' },
    ]);
    const rejections = await eventually(
      () =>
        f.db.query<{ source_id: string; reporter: string }>(
          'SELECT source_id, reporter FROM rejected_reports',
        ),
      (rows) => rows.length >= 1,
    );
    // Shown as U+FFFD, as ingest shows what was typed where a number should be.
    expect(rejections).toEqual([{ source_id: reporterWithControl.sourceId, reporter: '\uFFFD+84912000111' }]);
  });
});
