import { createToken, expectProblem, startApi } from './support/api';
import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { committedAndEnd, produce, readTopic } from './support/kafka';
import { rawSmsMessage } from './support/raw-sms';

const SPAMMER = '+84987000111';

const countersOf = async (f: IngestFixture, number: string) =>
  (
    await f.db.query<{ reports_24h: number; distinct_reporters_24h: number }>(
      'SELECT reports_24h, distinct_reporters_24h FROM subscriber_counters WHERE reported_number = $1',
      [number],
    )
  )[0] ?? null;

const rejections = (f: IngestFixture) =>
  f.db.query<{ source_id: string; reason: string; reporter: string; short_code: string | null }>(
    'SELECT source_id, reason, reporter, short_code FROM rejected_reports ORDER BY source_id',
  );

describe('ingest trusts no sender, short code or field it is given', () => {
  const harness = new Harness();
  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  it('counts the three written forms of one sender as one reporter, and rejects Alice unanswered', async () => {
    const f = await harness.fixture('identity');
    const report = (messageId: string, from: string, to = '156') =>
      rawSmsMessage({ messageId, from, to, text: `V ${SPAMMER} goi lam phien` });
    await produce(f.kafka, f.topics.smsRaw, [
      report('id-1', '84912345678'),
      report('id-2', '+84912345678', '5656'),
      report('id-3', '0912345678'),
      report('id-4', 'Alice'),
      report('id-5', '0912000111', '\u202e156'),
      report('id-6', '0912000222', '156'.repeat(10)),
    ]);
    harness.start('ingest', f.env);
    harness.start('aggregator', f.env);

    // With two more reporters the 3-reporter rule would open a flag, had the forms been three.
    const counters = await eventually(
      () => countersOf(f, SPAMMER),
      (c) => c?.reports_24h === 3,
    );
    expect(counters).toEqual({ reports_24h: 3, distinct_reporters_24h: 1 });
    const reporters = await f.db.query<{ reporter: string; total_reports: string }>(
      'SELECT reporter, total_reports FROM reporters',
    );
    expect(reporters).toEqual([{ reporter: '+84912345678', total_reports: '3' }]);
    await produce(f.kafka, f.topics.smsRaw, [report('id-7', '0912000333')]);
    await eventually(
      () => countersOf(f, SPAMMER),
      (c) => c?.reports_24h === 4,
    );
    expect(await countersOf(f, SPAMMER)).toEqual({ reports_24h: 4, distinct_reporters_24h: 2 });
    expect(await f.db.query('SELECT 1 FROM flags WHERE reported_number = $1', [SPAMMER])).toEqual([]);

    const rejected = await eventually(
      () => rejections(f),
      (rows) => rows.length === 3,
    );
    expect(rejected).toEqual([
      { source_id: 'id-4', reason: 'invalid_sender', reporter: 'Alice', short_code: '156' },
      { source_id: 'id-5', reason: 'invalid_short_code', reporter: '0912000111', short_code: null },
      { source_id: 'id-6', reason: 'invalid_short_code', reporter: '0912000222', short_code: null },
    ]);
    const onTopic = (await readTopic(f.kafka, f.topics.rejected, 3)).map((m) => JSON.parse(m.value ?? '{}'));
    expect(onTopic.find((r) => r.sourceId === 'id-4')).toMatchObject({
      reason: 'invalid_sender',
      detail: 'the sender address is not a phone number (digits, perhaps after +)',
    });

    // A reply for each report, to the address as the gateway gave it; none for the three rejected.
    const replies = (await readTopic(f.kafka, f.topics.smsOutbound, 4)).map((m) =>
      JSON.parse(m.value ?? '{}'),
    );
    expect(replies.map((r) => [r.inReplyTo, r.to, r.from]).sort()).toEqual([
      ['id-1', '84912345678', '156'],
      ['id-2', '+84912345678', '5656'],
      ['id-3', '0912345678', '156'],
      ['id-7', '0912000333', '156'],
    ]);
    expect(await readTopic(f.kafka, f.topics.smsOutbound, 5, 3_000)).toHaveLength(4);
  });

  it('keeps intake flowing through a hundred SMS with a NUL in from and other hostile fields', async () => {
    const f = await harness.fixture('poison');
    const key = 'one-partition';
    const hostile = (i: number): Record<string, unknown> => {
      switch (i % 5) {
        case 0:
          return { from: `091200${String(i).padStart(4, '0')}\u0000` };
        case 1:
          return { from: '\u0000', to: '156\u0000' };
        case 2:
          return { from: '0912000999\ud800' };
        case 3:
          return { messageId: `poison-${i}\u0000`, from: '0912000999\u0000' };
        default:
          return { from: `\u0000${'9'.repeat(63)}` };
      }
    };
    const poison = Array.from({ length: 100 }, (_, i) => ({
      key,
      value: rawSmsMessage({ messageId: `poison-${i}`, text: `V ${SPAMMER} \u0000`, ...hostile(i) }).value,
    }));
    const valid = Array.from({ length: 5 }, (_, i) => ({
      key,
      value: rawSmsMessage({
        messageId: `valid-${i}`,
        from: `091200${String(i).padStart(4, '0')}`,
        text: `V ${SPAMMER} quang cao\u0000 ${i}`,
      }).value,
    }));
    await produce(f.kafka, f.topics.smsRaw, [...poison, ...valid]);
    harness.start('ingest', f.env);
    const aggregator = harness.start('aggregator', f.env);

    const counters = await eventually(
      () => countersOf(f, SPAMMER),
      (c) => c?.reports_24h === 5,
    );
    expect(counters).toEqual({ reports_24h: 5, distinct_reporters_24h: 5 });
    expect(await f.db.query('SELECT source_id FROM reports ORDER BY source_id')).toEqual(
      valid.map((_, i) => ({ source_id: `valid-${i}` })),
    );
    const offsets = await eventually(
      () => committedAndEnd(f.kafka, f.groupId, f.topics.smsRaw),
      (o) => o.committed === o.end,
    );
    expect(offsets).toEqual({ committed: 105, end: 105 });

    // Each hostile message is dead-lettered by ingest with why; none reached the database.
    const deadLetters = (await readTopic(f.kafka, f.topics.deadLetter, 100)).map((m) =>
      JSON.parse(m.value ?? '{}'),
    );
    expect(deadLetters).toHaveLength(100);
    expect(new Set(deadLetters.map((d) => [d.source.topic, d.reason].join(' ')))).toEqual(
      new Set([`${f.topics.smsRaw} invalid_fields`]),
    );
    expect(deadLetters.find((d) => d.source.offset === '0').detail).toBe(
      'from: must not contain control characters or lone surrogates',
    );
    expect(await readTopic(f.kafka, f.topics.deadLetter, 101, 3_000)).toHaveLength(100);
    expect(aggregator.logs).not.toMatch(/one by one|refused/);
  });

  it('rejects backdated hotline reports and reporters that are no subscriber, storing nothing hostile', async () => {
    const f = await harness.fixture('hotline-bounds');
    const now = Date.now();
    const submission = (idempotencyKey: string, change: Record<string, unknown>) => ({
      key: 'agent-7',
      value: JSON.stringify({
        reporter: '0912345678',
        reportedNumber: SPAMMER,
        kind: 'scam_call',
        description: 'tai \u202egnp.exe ngay',
        agentId: 'agent-7',
        submittedAt: new Date(now - 3_600_000).toISOString(),
        idempotencyKey,
        ...change,
      }),
    });
    await produce(f.kafka, f.topics.submitted, [
      submission('k-8-days', { submittedAt: new Date(now - 8 * 86_400_000).toISOString() }),
      submission('k-future', { submittedAt: new Date(now + 3_600_000).toISOString() }),
      submission('k-alice', { reporter: 'Alice' }),
      submission('k-nul', { reporter: '0912345678\u0000', ['\u0000'.repeat(3)]: 1 }),
      submission('k-toll-free', { reporter: '1800 1091' }),
      submission('k-good', { reporter: '84 912 345 678' }),
    ]);
    harness.start('ingest', { ...f.env, HOTLINE_MAX_REPORT_AGE: '7d' });
    harness.start('aggregator', f.env);

    const stored = await eventually(
      () => f.db.query<{ source_id: string; reporter: string; content: string }>('SELECT * FROM reports'),
      (rows) => rows.length === 1,
    );
    expect(stored).toMatchObject([
      { source_id: 'key:k-good', reporter: '+84912345678', content: 'tai gnp.exe ngay' },
    ]);
    const rejected = await eventually(
      () => rejections(f),
      (rows) => rows.length === 5,
    );
    expect(rejected.map((r) => [r.source_id, r.reason, r.reporter])).toEqual([
      ['key:k-8-days', 'invalid_fields', '0912345678'],
      ['key:k-alice', 'invalid_fields', 'Alice'],
      ['key:k-future', 'invalid_fields', '0912345678'],
      ['key:k-nul', 'invalid_fields', '0912345678\ufffd'],
      ['key:k-toll-free', 'invalid_fields', '1800 1091'],
    ]);
    const onTopic = (await readTopic(f.kafka, f.topics.rejected, 5)).map((m) => JSON.parse(m.value ?? '{}'));
    const errorsOf = (key: string) => onTopic.find((r) => r.sourceId === `key:${key}`).fieldErrors;
    expect(errorsOf('k-8-days')).toEqual([
      {
        field: 'submittedAt',
        code: 'invalid_value',
        message: 'submittedAt must not be more than 7 days ago',
      },
    ]);
    expect(errorsOf('k-alice')).toEqual([
      {
        field: 'reporter',
        code: 'invalid_number',
        message: 'reporter is not a Vietnamese mobile or fixed-line number',
      },
    ]);
    expect(errorsOf('k-nul').map((e: { field: string }) => e.field)).toEqual([
      '\ufffd\ufffd\ufffd',
      'reporter',
    ]);
    expect(await readTopic(f.kafka, f.topics.deadLetter, 0)).toEqual([]);
  });

  it('answers an agent at once when the API gets a backdated report or a reporter that is no subscriber', async () => {
    const f = await harness.fixture('api-bounds');
    const api = await startApi(harness, f, { HOTLINE_MAX_REPORT_AGE: '3d' });
    const agent = (await createToken(f.db.url, 'agent-9', 'agent')).secret;
    const report = (change: Record<string, unknown>) => ({
      reporter: '0912 345 678',
      reportedNumber: SPAMMER,
      kind: 'scam_call',
      submittedAt: new Date(Date.now() - 86_400_000).toISOString(),
      ...change,
    });
    const refused = async (change: Record<string, unknown>) => {
      const response = await api.post('/api/v1/reports', agent, report(change));
      expectProblem(response, 400);
      return JSON.stringify(response.body);
    };
    expect(await refused({ submittedAt: new Date(Date.now() - 4 * 86_400_000).toISOString() })).toContain(
      'submittedAt must not be more than 3 days ago',
    );
    expect(await refused({ submittedAt: new Date(Date.now() + 3_600_000).toISOString() })).toContain(
      'submittedAt must not be in the future',
    );
    for (const reporter of ['Alice', '1800 1091', '+1 415 555 0100'])
      expect(await refused({ reporter })).toContain(
        'reporter is not a Vietnamese mobile or fixed-line number',
      );
    expect((await api.post('/api/v1/reports', agent, report({}))).status).toBe(202);
  });
});
