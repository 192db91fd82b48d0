import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce, readTopic, ReadMessage } from './support/kafka';
import { rawSmsMessage } from './support/raw-sms';

const REPORTER = '0912345678';

function sms(messageId: string, text: string, extra: Record<string, unknown> = {}) {
  return rawSmsMessage({ messageId, text, from: REPORTER, to: '156', ...extra });
}

/** Decoded, in source order: messages on different partitions arrive in no particular order. */
const parse = (messages: ReadMessage[]) =>
  messages
    .map((m) => ({ key: m.key, ...JSON.parse(m.value ?? 'null') }))
    .sort((a, b) => String(a.sourceId ?? a.inReplyTo).localeCompare(String(b.sourceId ?? b.inReplyTo)));

async function outputs(
  f: IngestFixture,
  expected: { accepted: number; rejected: number; replies: number },
  timeoutMs = 20_000,
) {
  const [accepted, rejected, replies] = await Promise.all([
    readTopic(f.kafka, f.topics.accepted, expected.accepted, timeoutMs),
    readTopic(f.kafka, f.topics.rejected, expected.rejected, timeoutMs),
    readTopic(f.kafka, f.topics.smsOutbound, expected.replies, timeoutMs),
  ]);
  return { accepted: parse(accepted), rejected: parse(rejected), replies: parse(replies) };
}

describe('report intake from 156/5656 and the hotline', () => {
  const harness = new Harness();
  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  it('publishes accepted reports keyed by number, rejections with reasons, and replies', async () => {
    const f = await harness.fixture('intake');
    // One key, so one partition and a fixed order.
    await produce(
      f.kafka,
      f.topics.smsRaw,
      [
        sms('m1', 'V 0987.654.321 goi dien doi no'),
        sms('m2', 'LD (+84 90 123 4567)(gia danh cong an yeu cau chuyen tien)', { to: '5656' }),
        sms('m3', 's 01662345678 quang cao bat dong san'),
        sms('m4', 'V 0912 34 lua dao'),
        sms('m5', 'DK DNC'),
        sms('m6', 'V 113 goi quay roi'),
        sms('m7', `V ${REPORTER} thu`),
        sms('m8', 'Xin chao'),
      ].map((m) => ({ ...m, key: REPORTER })),
    );
    harness.start('ingest', f.env);
    const out = await outputs(f, { accepted: 3, rejected: 5, replies: 7 });

    expect(
      out.accepted.map((r) => [r.key, r.reportedNumber, r.kind, r.category, r.carrier, r.shortCode]),
    ).toEqual([
      ['+84987654321', '+84987654321', 'spam_call', 'debt_collection', 'viettel', '156'],
      ['+84901234567', '+84901234567', 'scam_call', 'impersonation', 'mobifone', '5656'],
      ['+84362345678', '+84362345678', 'spam_sms', 'advertising', 'viettel', '156'],
    ]);
    expect(out.accepted[2].convertedFromLegacy).toBe(true);
    expect(out.accepted[0]).toMatchObject({
      channel: 'sms',
      sourceId: 'm1',
      reporter: '+84912345678',
      numberType: 'mobile',
      content: 'goi dien doi no',
      agentId: null,
    });
    expect(out.accepted[0].reportId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );

    expect(out.rejected.map((r) => [r.sourceId, r.reason])).toEqual([
      ['m4', 'invalid_number'],
      ['m5', 'not_a_report'],
      ['m6', 'protected_number'],
      ['m7', 'self_report'],
      ['m8', 'no_keyword'],
    ]);
    expect(out.rejected[1].notAReportKind).toBe('dnc_register');

    // DK DNC is answered by the do-not-call service, not by us: seven replies for eight texts.
    expect(out.replies.map((r) => r.inReplyTo)).toEqual(['m1', 'm2', 'm3', 'm4', 'm6', 'm7', 'm8']);
    expect(out.replies[0]).toMatchObject({ to: REPORTER, from: '156' });
    expect(out.replies[0].text).toContain('0987654321');
    expect(out.replies[1].from).toBe('5656');
    expect(out.replies[3].text).toMatch(/khong hop le/);
    for (const reply of out.replies) expect(reply.text).toMatch(/^[\x20-\x7e]{1,160}$/);

    // The aggregator keeps the rejections for the daily summary, the reporter as counted.
    harness.start('aggregator', f.env);
    const stored = await eventually(
      () =>
        f.db.query<{ source_id: string; reason: string; reporter: string; short_code: string }>(
          'SELECT source_id, reason, reporter, short_code FROM rejected_reports ORDER BY source_id',
        ),
      (rows) => rows.length === 5,
    );
    expect(stored.map((r) => `${r.source_id}:${r.reason}:${r.reporter}:${r.short_code}`)).toEqual([
      'm4:invalid_number:+84912345678:156',
      'm5:not_a_report:+84912345678:156',
      'm6:protected_number:+84912345678:156',
      'm7:self_report:+84912345678:156',
      'm8:no_keyword:+84912345678:156',
    ]);
  });

  it('produces no second report or reply when a raw message is delivered again', async () => {
    const f = await harness.fixture('redeliver');
    const original = [sms('r1', 'V 0987654321 quang cao'), sms('r2', 'sai cu phap')];
    await produce(f.kafka, f.topics.smsRaw, original);
    const app = harness.start('ingest', f.env);
    await outputs(f, { accepted: 1, rejected: 1, replies: 2 });

    // The gateway redelivers both, then a new message we can wait for.
    await produce(f.kafka, f.topics.smsRaw, [...original, sms('r3', 'LD 0977777777')]);
    await readTopic(f.kafka, f.topics.accepted, (r) => r.some((m) => m.value?.includes('"r3"')));
    // Everything is published by now; asking for one more of each shows there is none.
    const out = await outputs(f, { accepted: 3, rejected: 2, replies: 4 }, 3_000);
    expect(out.accepted.map((r) => r.sourceId).sort()).toEqual(['r1', 'r3']);
    expect(out.rejected.map((r) => r.sourceId)).toEqual(['r2']);
    expect(out.replies.map((r) => r.inReplyTo).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(app.logs).toMatch(/2 seen lately/);
  });

  it('takes hotline submissions: one report per idempotency key, field errors for bad ones', async () => {
    const f = await harness.fixture('hotline');
    // Within the week a report may be entered after the call, in Vietnam's time zone.
    const takenAt = new Date(Date.now() - 3 * 86_400_000);
    takenAt.setUTCMilliseconds(0);
    const local = new Date(takenAt.getTime() + 7 * 3_600_000).toISOString().slice(0, 19);
    const submission = {
      reporter: '0912345678',
      reportedNumber: '024 3826 5555',
      kind: 'scam_call',
      description: 'Giả danh nhân viên ngân hàng',
      agentId: 'agent-7',
      submittedAt: `${local}+07:00`,
      idempotencyKey: 'call-123',
    };
    await produce(f.kafka, f.topics.submitted, [
      { key: 'a', value: JSON.stringify(submission) },
      { key: 'a', value: JSON.stringify(submission) },
      {
        key: 'a',
        value: JSON.stringify({ ...submission, idempotencyKey: 'call-124', kind: 'fax', extra: 1 }),
      },
      { key: 'a', value: '{"reporter": ' },
      {
        key: 'a',
        value: JSON.stringify({ ...submission, idempotencyKey: 'call-125', reportedNumber: '0901234567' }),
      },
    ]);
    harness.start('ingest', f.env);
    const out = await outputs(f, { accepted: 2, rejected: 1, replies: 0 });
    expect(
      out.accepted.map((r) => [r.sourceId, r.reportedNumber, r.numberType, r.channel, r.agentId]),
    ).toEqual([
      ['key:call-123', '+842438265555', 'fixed_line', 'hotline', 'agent-7'],
      ['key:call-125', '+84901234567', 'mobile', 'hotline', 'agent-7'],
    ]);
    expect(out.accepted[0]).toMatchObject({
      category: 'impersonation',
      receivedAt: takenAt.toISOString(),
      shortCode: null,
    });
    expect(out.rejected).toHaveLength(1);
    expect(out.rejected[0].reason).toBe('invalid_fields');
    expect(out.rejected[0].fieldErrors.map((e: { field: string }) => e.field).sort()).toEqual([
      'extra',
      'kind',
    ]);
    const deadLetters = await readTopic(f.kafka, f.topics.deadLetter, 1);
    expect(JSON.parse(deadLetters[0].value ?? '{}').reason).toBe('invalid_json');
  });

  it('keeps consuming after texts PostgreSQL cannot store as sent: NUL, lone surrogates, a megabyte', async () => {
    const f = await harness.fixture('hostile');
    await produce(f.kafka, f.topics.smsRaw, [
      sms('h1', 'V 0987654321 \u0000 nul'),
      sms('h2', 'V 0987654321 \ud800 half'),
      {
        key: 'x',
        value: JSON.stringify({
          messageId: 'h3',
          from: REPORTER,
          to: '156',
          text: '9'.repeat(60_000),
          receivedAt: new Date().toISOString(),
        }),
      },
      sms('h4', 'LD 0977777777 after'),
    ]);
    harness.start('ingest', f.env);
    harness.start('aggregator', f.env);
    const reports = await eventually(
      () =>
        f.db.query<{ source_id: string; content: string }>(
          'SELECT source_id, content FROM reports ORDER BY source_id',
        ),
      (r) => r.length === 3,
    );
    expect(reports.map((r) => r.source_id)).toEqual(['h1', 'h2', 'h4']);
    for (const report of reports) {
      expect(report.content).not.toContain(String.fromCharCode(0));
      expect(report.content.isWellFormed()).toBe(true);
    }
    const rejected = await eventually(
      () =>
        f.db.query<{ source_id: string; reason: string }>('SELECT source_id, reason FROM rejected_reports'),
      (r) => r.length === 1,
    );
    expect(rejected).toEqual([{ source_id: 'h3', reason: 'too_long' }]);
  });

  it('dead-letters times from broken clocks and submissions nested too deep, and keeps consuming', async () => {
    const f = await harness.fixture('clocks');
    const twoDaysAhead = new Date(Date.now() + 48 * 3_600_000).toISOString();
    await produce(f.kafka, f.topics.smsRaw, [
      sms('c1', 'V 0987654321 year zero', { receivedAt: '0000-01-01T00:00:00Z' }),
      sms('c2', 'V 0987654321 ahead', { receivedAt: twoDaysAhead }),
      sms('c3', 'LD 0977777777 after'),
    ]);
    const submission = {
      reporter: '0912345678',
      reportedNumber: '0901234567',
      kind: 'scam_call',
      agentId: 'agent-7',
      submittedAt: new Date().toISOString(),
    };
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    await produce(f.kafka, f.topics.submitted, [
      { key: 'a', value: `{"reporter":"0912345678","extra":${deep}}` },
      {
        key: 'a',
        value: JSON.stringify({
          ...submission,
          idempotencyKey: 'k-future',
          submittedAt: twoDaysAhead,
        }),
      },
      { key: 'a', value: JSON.stringify({ ...submission, idempotencyKey: 'k-good' }) },
    ]);
    harness.start('ingest', f.env);
    const out = await outputs(f, { accepted: 2, rejected: 1, replies: 1 });
    expect(out.accepted.map((r) => r.sourceId).sort()).toEqual(['c3', 'key:k-good']);
    expect(out.rejected[0].fieldErrors).toEqual([
      {
        field: 'submittedAt',
        code: 'invalid_value',
        message: 'submittedAt must not be in the future',
      },
    ]);
    const deadLetters = (await readTopic(f.kafka, f.topics.deadLetter, 3))
      .map(
        (m) => JSON.parse(m.value ?? '{}') as { reason: string; detail: string; source: { topic: string } },
      )
      .map((d) => [d.source.topic === f.topics.smsRaw ? 'sms' : 'submitted', d.reason, d.detail])
      .sort();
    expect(deadLetters).toEqual([
      ['sms', 'invalid_fields', 'receivedAt: must not be before 2000-01-01T00:00:00Z'],
      ['sms', 'invalid_fields', "receivedAt: must not be more than 24 hours ahead of the server's clock"],
      ['submitted', 'invalid_json', 'nested deeper than 32 levels'],
    ]);
  });
});
