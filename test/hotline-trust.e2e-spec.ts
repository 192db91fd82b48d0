import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AgentSubmissionsRepository } from '@abuse-monitor/persistence';
import { ApiClient, createToken, expectProblem, startApi } from './support/api';
import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce, readTopic } from './support/kafka';
import { rawSmsMessage } from './support/raw-sms';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

/**
 * Issue 16: one hotline agent must not be able to get a subscriber flagged on their own word, and
 * an agent's burst of submissions waits for a supervisor instead of going straight to counting.
 * Against the compiled API, ingest and aggregator, the real broker and PostgreSQL.
 */

/** Distinct valid Vinaphone numbers, none of them the reported number. */
const reporter = (index: number) => `091234${String(5000 + index)}`;

const report = (reportedNumber: string, index: number) => ({
  reporter: reporter(index),
  reportedNumber,
  kind: 'spam_call',
  description: `goi quang cao lan ${index}`,
});

async function flagOf(f: IngestFixture, e164: string) {
  const rows = await f.db.query<{ id: string; severity: string }>(
    `SELECT id, severity FROM flags WHERE reported_number = $1`,
    [e164],
  );
  return rows[0] ?? null;
}

async function countedReports(f: IngestFixture, e164: string): Promise<number> {
  const rows = await f.db.query<{ total_reports: string }>(
    `SELECT total_reports FROM subscriber_counters WHERE reported_number = $1`,
    [e164],
  );
  return Number(rows[0]?.total_reports ?? 0);
}

describe('hotline reports that cannot be forged into a flag', () => {
  const harness = new Harness();
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('leaves 31 reports one agent entered at low, even with one more SMS and a colleague, and shows the agent', async () => {
    const f = await harness.fixture('hotlineforge');
    harness.start('ingest', f.env);
    harness.start('aggregator', f.env);
    const api = await startApi(harness, f, { API_AGENT_SUBMISSIONS_PER_HOUR: '100' });
    const [forger, colleague, analyst] = await Promise.all([
      createToken(f.db.url, 'agent-17', 'agent'),
      createToken(f.db.url, 'agent-18', 'agent'),
      createToken(f.db.url, 'analyst-a', 'analyst'),
    ]);
    const target = '+84987000701';

    for (let i = 1; i <= 31; i++) {
      const sent = await api.post('/api/v1/reports', forger.secret, report('0987 000 701', i));
      expect([sent.status, sent.body.status]).toEqual([202, 'queued']);
    }
    await eventually(
      () => countedReports(f, target),
      (n) => n === 31,
    );
    expect(await countedReports(f, target)).toBe(31);
    const capped = await flagOf(f, target);
    expect(capped?.severity).toBe('low');

    const detail = await api.get(`/api/v1/flags/${capped?.id}`, analyst.secret);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ severity: 'low', recommendedAction: 'watch' });
    expect(detail.body.sources).toEqual({
      smsReporters: 0,
      agents: [{ agentId: 'agent-17', reports: 31 }],
      singleSource: 'capped at low: all reports entered by one agent (agent-17)',
    });
    expect(detail.body.recentReports).toHaveLength(31);
    for (const shown of detail.body.recentReports) expect(shown.agentId).toBe('agent-17');

    // What one insider could still add: an SMS (from their own phone, say) and a colleague's one
    // report. The 30-reporter rule is met only while agent-17's reports count as 30 sources.
    await produce(f.kafka, f.topics.smsRaw, [
      rawSmsMessage({ from: '0912349999', to: '156', text: 'V 0987000701 goi lam phien' }),
    ]);
    const nudge = await api.post('/api/v1/reports', colleague.secret, report('0987000701', 100));
    expect(nudge.status).toBe(202);
    await eventually(
      () => countedReports(f, target),
      (n) => n === 33,
    );
    const leaning = await api.get(`/api/v1/flags/${capped?.id}`, analyst.secret);
    expect(leaning.body).toMatchObject({ severity: 'low', recommendedAction: 'watch' });
    expect(leaning.body.sources).toMatchObject({
      smsReporters: 1,
      agents: [
        { agentId: 'agent-17', reports: 31 },
        { agentId: 'agent-18', reports: 1 },
      ],
    });

    // Enough others with agent-17 counted as one source (1 + the SMS + 28 by agent-18 = 30):
    // now the rules may do what they say.
    for (let i = 101; i <= 128; i++) {
      const sent = await api.post('/api/v1/reports', colleague.secret, report('0987000701', i));
      expect(sent.status).toBe(202);
    }
    const raised = await eventually(
      () => flagOf(f, target),
      (flag) => flag?.severity === 'high',
    );
    expect(raised?.severity).toBe('high');
    const after = await api.get(`/api/v1/flags/${capped?.id}`, analyst.secret);
    expect(after.body.sources).toEqual({
      smsReporters: 1,
      agents: [
        { agentId: 'agent-17', reports: 31 },
        { agentId: 'agent-18', reports: 29 },
      ],
      singleSource: null,
    });
    expect(after.body.evidence).toMatchObject({ ruleId: 'distinct-30-24h', cap: null });
  });
});

describe("an agent's hourly quota of hotline submissions", () => {
  const harness = new Harness();
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('holds submissions past the quota for a supervisor, who releases or refuses each, audited', async () => {
    const f = await harness.fixture('hotlinequota');
    harness.start('ingest', f.env);
    harness.start('aggregator', f.env);
    const api: ApiClient = await startApi(harness, f, { API_AGENT_SUBMISSIONS_PER_HOUR: '2' });
    const [agent, supervisor, analyst] = await Promise.all([
      createToken(f.db.url, 'agent-17', 'agent'),
      createToken(f.db.url, 'sup', 'supervisor'),
      createToken(f.db.url, 'analyst-a', 'analyst'),
    ]);
    const submit = (index: number) =>
      api.post('/api/v1/reports', agent.secret, report('0987000702', index), {
        'idempotency-key': `call-${index}`,
      });

    const answers = [];
    for (let i = 1; i <= 4; i++) answers.push(await submit(i));
    expect(answers.map((a) => [a.status, a.body.status])).toEqual([
      [202, 'queued'],
      [202, 'queued'],
      [202, 'held'],
      [202, 'held'],
    ]);
    // Retrying a held submission does not sneak it through.
    const retried = await submit(3);
    expect([retried.status, retried.body.status, retried.body.reportId]).toEqual([
      202,
      'held',
      answers[2].body.reportId,
    ]);

    const listed = await api.get('/api/v1/held-submissions', supervisor.secret);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { reportId: string }) => item.reportId)).toEqual([
      answers[2].body.reportId,
      answers[3].body.reportId,
    ]);
    expect(listed.body.items[0]).toMatchObject({
      agentId: 'agent-17',
      status: 'held',
      reporter: reporter(3),
    });
    expectProblem(await api.get('/api/v1/held-submissions', analyst.secret), 403);

    // Held ones are not counted: only the two queued reach the reports table.
    await eventually(
      () => countedReports(f, '+84987000702'),
      (n) => n === 2,
    );
    const [third, fourth] = listed.body.items;
    const released = await api.post(`/api/v1/held-submissions/${third.id}/release`, supervisor.secret, {
      note: 'called the reporter back',
    });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({
      status: 'released',
      decidedBy: 'sup',
      note: 'called the reporter back',
    });
    const refused = await api.post(`/api/v1/held-submissions/${fourth.id}/refuse`, supervisor.secret, {
      note: 'no such call in the log',
    });
    expect(refused.body).toMatchObject({ status: 'refused', decidedBy: 'sup' });
    expectProblem(
      await api.post(`/api/v1/held-submissions/${fourth.id}/release`, supervisor.secret, {}),
      409,
    );
    expectProblem(await submit(4), 409);

    // The released one goes through intake as usual, with its own id; the refused one never does.
    const stored = await eventually(
      () =>
        f.db.query<{ report_id: string; agent_id: string }>(
          `SELECT report_id, agent_id FROM reports WHERE reported_number = '+84987000702' ORDER BY received_at`,
        ),
      (rows) => rows.length >= 3,
    );
    expect(stored.map((r) => r.report_id).sort()).toEqual(
      [answers[0], answers[1], answers[2]].map((a) => a.body.reportId).sort(),
    );
    expect(new Set(stored.map((r) => r.agent_id))).toEqual(new Set(['agent-17']));
    const submitted = await readTopic(f.kafka, f.topics.submitted, 3, 20_000);
    expect(submitted.map((m) => m.key).sort()).toEqual([
      'agent-17:call-1',
      'agent-17:call-2',
      'agent-17:call-3',
    ]);

    const audit = await f.db.query<{ action: string; target_id: string; actor: string }>(
      `SELECT action, target_id, actor FROM audit_log WHERE target_type = 'submission' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'submission.release', target_id: String(third.id), actor: 'sup' },
      { action: 'submission.refuse', target_id: String(fourth.id), actor: 'sup' },
    ]);
    expect((await api.get('/api/v1/held-submissions', supervisor.secret)).body.items).toEqual([]);

    // A burst of parallel calls from another agent cannot all slip in under the quota.
    const burster = await createToken(f.db.url, 'agent-19', 'agent');
    const burst = await Promise.all(
      [11, 12, 13, 14, 15, 16].map((i) =>
        api.post('/api/v1/reports', burster.secret, report('0987000703', i)),
      ),
    );
    expect(burst.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202]);
    expect(burst.map((a) => a.body.status).sort()).toEqual([
      'held',
      'held',
      'held',
      'held',
      'queued',
      'queued',
    ]);
    const heldNow = await api.get('/api/v1/held-submissions', supervisor.secret);
    expect(heldNow.body.items.map((item: { agentId: string }) => item.agentId)).toEqual([
      'agent-19',
      'agent-19',
      'agent-19',
      'agent-19',
    ]);
  });
});

describe('counting an agent against the quota (PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase('quotalock');
    dataSource = await openDataSource(db.url, 3);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('makes a second submission wait for the first to commit, so both cannot be under the quota', async () => {
    const store = new AgentSubmissionsRepository();
    const submission = (key: string) => ({
      submissionKey: `agent-17:${key}`,
      agentId: 'agent-17',
      reportId: randomUUID(),
      submission: { reporter: reporter(1), reportedNumber: '0987000704', kind: 'spam_call' },
    });
    let commitFirst: () => void = () => {};
    const firstHeldOpen = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstAdmitted: (status: string) => void = () => {};
    const admittedFirst = new Promise<string>((resolve) => (firstAdmitted = resolve));
    const first = dataSource.transaction(async (manager) => {
      firstAdmitted((await store.admit(submission('a'), 1, manager)).submission.status);
      await firstHeldOpen;
    });
    expect(await admittedFirst).toBe('queued');
    let secondDone = false;
    const second = dataSource
      .transaction((manager) => store.admit(submission('b'), 1, manager))
      .finally(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondDone).toBe(false);
    commitFirst();
    await first;
    expect((await second).submission.status).toBe('held');
  });
});
