import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { ApiClient, createToken, expectProblem, startApi } from './support/api';
import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { committedAndEnd, produce, readTopic } from './support/kafka';

const SPAMMER = '+84987000101';
const CONTESTED = '+84987000102';

interface Tokens {
  analystA: string;
  analystB: string;
  supervisor: string;
  admin: string;
  agent: string;
}

async function tokens(f: IngestFixture): Promise<Tokens> {
  const [analystA, analystB, supervisor, admin, agent] = await Promise.all([
    createToken(f.db.url, 'analyst-a', 'analyst'),
    createToken(f.db.url, 'analyst-b', 'analyst'),
    createToken(f.db.url, 'sup', 'supervisor'),
    createToken(f.db.url, 'root', 'admin'),
    createToken(f.db.url, 'agent-17', 'agent'),
  ]);
  return {
    analystA: analystA.secret,
    analystB: analystB.secret,
    supervisor: supervisor.secret,
    admin: admin.secret,
    agent: agent.secret,
  };
}

/** Three distinct reporters in a day: the default rules open a low-severity flag. */
async function raiseFlag(f: IngestFixture, api: ApiClient, token: string, number: string) {
  await produce(
    f.kafka,
    f.topics.accepted,
    [1, 2, 3].map((i) =>
      asMessage(
        acceptedReport(number, reporterNumber(i), i, { content: `Goi lua dao lan ${i}`, kind: 'scam_call' }),
      ),
    ),
  );
  const page = await eventually(
    () => api.get(`/api/v1/flags?status=open`, token),
    (r) =>
      r.status === 200 &&
      r.body.items.some((flag: { reportedNumber: string }) => flag.reportedNumber === number),
  );
  return page.body.items.find((flag: { reportedNumber: string }) => flag.reportedNumber === number);
}

describe('the abuse team works a flag raised by the pipeline', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let t: Tokens;

  beforeAll(async () => {
    f = await harness.fixture('apiflags');
    harness.start('aggregator', f.env);
    api = await startApi(harness, f);
    t = await tokens(f);
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('lists it, shows its evidence, lets an analyst claim and act on it, and records and publishes the action', async () => {
    const listed = await raiseFlag(f, api, t.analystA, SPAMMER);
    expect(listed).toMatchObject({ status: 'open', severity: 'low', ruleId: 'distinct-3-24h', version: 1 });

    const detail = await api.get(`/api/v1/flags/${listed.id}`, t.analystA);
    expect(detail.status).toBe(200);
    expect(detail.headers.get('etag')).toMatch(/^"1-[0-9a-f]{16}"$/);
    expect(detail.body.rule).toMatchObject({
      id: 'distinct-3-24h',
      version: 1,
      threshold: 3,
      severity: 'low',
    });
    expect(detail.body.evidence).toMatchObject({
      ruleId: 'distinct-3-24h',
      measured: 3,
      threshold: 3,
      reportsBehind: 3,
    });
    expect(detail.body.counters.windows['24h']).toEqual({ reports: 3, distinctReporters: 3 });
    expect(detail.body.counters.byKind30d).toEqual({ scam_call: { reports: 3, distinctReporters: 3 } });
    expect(detail.body.recentReports).toHaveLength(3);
    expect(detail.body.recentReports.map((r: { reporter: string }) => r.reporter).sort()).toEqual([
      '091*****01',
      '091*****02',
      '091*****03',
    ]);
    expect(detail.body.recentReports[0]).toMatchObject({
      channel: 'sms',
      kind: 'scam_call',
      content: 'Goi lua dao lan 3',
    });
    expect(detail.body.history.map((h: { change: string }) => h.change)).toEqual(['opened']);

    const claimed = await api.post(
      `/api/v1/flags/${listed.id}/assign`,
      t.analystA,
      {},
      { 'if-match': '"1"' },
    );
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'in_review', assignee: 'analyst-a', version: 2 });

    // Someone else's review is theirs: another analyst can neither take it nor act on it.
    expectProblem(await api.post(`/api/v1/flags/${listed.id}/assign`, t.analystB, { version: 2 }), 403);
    expectProblem(
      await api.post(`/api/v1/flags/${listed.id}/actions`, t.analystB, {
        action: 'warn',
        note: 'x',
        version: 2,
      }),
      403,
    );

    const acted = await api.post(`/api/v1/flags/${listed.id}/actions`, t.analystA, {
      action: 'warn',
      note: 'Ba nguoi bao cao lua dao trong mot gio',
      version: 2,
    });
    expect(acted.status).toBe(200);
    expect(acted.body).toMatchObject({ status: 'actioned', takenAction: 'warn', version: 3 });
    expect(acted.body.history.map((h: { change: string; actor: string }) => [h.change, h.actor])).toEqual([
      ['opened', 'rules'],
      ['claimed', 'analyst-a'],
      ['actioned', 'analyst-a'],
    ]);
    expect(acted.body.history[2]).toMatchObject({
      note: 'Ba nguoi bao cao lua dao trong mot gio',
      eventId: `flag:${SPAMMER}:3`,
      fromStatus: 'in_review',
      toStatus: 'actioned',
    });

    const audit = await api.get(`/api/v1/audit?targetType=flag&targetId=${listed.id}`, t.admin);
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['flag.warn', 'flag.assign']);
    expect(audit.body.items[0]).toMatchObject({
      actor: 'analyst-a',
      actorRole: 'analyst',
      method: 'POST',
      path: `/api/v1/flags/${listed.id}/actions`,
      requestId: acted.headers.get('x-request-id'),
      before: { status: 'in_review', sequence: 2 },
      after: { status: 'actioned', takenAction: 'warn', sequence: 3 },
    });

    const events = await readTopic(f.kafka, f.topics.subscriberFlags, (received) =>
      received.some((m) => m.value?.includes(`"eventId":"flag:${SPAMMER}:3"`)),
    );
    const actioned = events
      .map((m) => JSON.parse(m.value ?? '{}'))
      .filter((e) => e.eventId === `flag:${SPAMMER}:3`);
    expect(actioned[0]).toMatchObject({
      type: 'actioned',
      reportedNumber: SPAMMER,
      takenAction: 'warn',
      actor: 'analyst-a',
      note: 'Ba nguoi bao cao lua dao trong mot gio',
    });
    expect(events.find((m) => m.value?.includes(`"eventId":"flag:${SPAMMER}:3"`))?.key).toBe(SPAMMER);
    // Claims are history, not events: provisioning hears of the opening and the action only.
    const forSpammer = events
      .map((m) => JSON.parse(m.value ?? '{}'))
      .filter((e) => e.reportedNumber === SPAMMER);
    expect([...new Set(forSpammer.map((e) => e.type))].sort()).toEqual(['actioned', 'opened']);

    const subscriber = await api.get(`/api/v1/subscribers/0987.000.101`, t.supervisor);
    expect(subscriber.status).toBe(200);
    expect(subscriber.body).toMatchObject({
      reportedNumber: SPAMMER,
      flag: { id: listed.id, status: 'actioned', takenAction: 'warn' },
    });
    expect(subscriber.body.recentReports.map((r: { reporter: string }) => r.reporter)).toContain(
      reporterNumber(1),
    );
  });

  it('gives one of two concurrent actions on one flag success and the other 409, and records only the winner', async () => {
    const flag = await raiseFlag(f, api, t.analystA, CONTESTED);
    const [a, b] = await Promise.all([
      api.post(`/api/v1/flags/${flag.id}/actions`, t.analystA, {
        action: 'block_outgoing',
        note: 'chan chieu di',
        version: flag.version,
      }),
      api.post(`/api/v1/flags/${flag.id}/actions`, t.analystB, {
        action: 'dismiss',
        note: 'khong du bang chung',
        version: flag.version,
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expectProblem(loser, 409);
    expect(loser.body.currentVersion).toBe(flag.version + 1);

    const detail = await api.get(`/api/v1/flags/${flag.id}`, t.analystA);
    const closing = detail.body.history.filter((h: { change: string }) => h.change !== 'opened');
    expect(closing).toHaveLength(1);
    const winner = a.status === 200 ? 'analyst-a' : 'analyst-b';
    expect(closing[0].actor).toBe(winner);
    const audit = await api.get(`/api/v1/audit?targetType=flag&targetId=${flag.id}`, t.admin);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].actor).toBe(winner);

    // The loser reloads, sees the decision, and can reopen it with the version it now reads.
    const reopened = await api.post(`/api/v1/flags/${flag.id}/actions`, t.supervisor, {
      action: 'reopen',
      note: 'xem lai',
      version: detail.body.version,
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'open', version: flag.version + 2 });
  });

  it('refuses an action the flag state does not allow with 409 and changes nothing', async () => {
    const flag = (await api.get(`/api/v1/flags?status=actioned`, t.analystA)).body.items[0];
    const refused = await api.post(`/api/v1/flags/${flag.id}/actions`, t.analystA, {
      action: 'warn',
      note: 'again',
      version: flag.version,
    });
    expectProblem(refused, 409);
    expect(refused.body.detail).toMatch(/cannot act/);
    expect((await api.get(`/api/v1/flags/${flag.id}`, t.analystA)).body.version).toBe(flag.version);
  });

  it('lets a supervisor dismiss a flag and allowlist the number in one step, which an analyst may not', async () => {
    const number = '+84987000103';
    const flag = await raiseFlag(f, api, t.analystA, number);
    const body = {
      action: 'dismiss',
      note: 'tong dai cham soc khach hang cua ngan hang',
      version: flag.version,
      allowlist: { reason: 'bank hotline', owner: 'fraud-desk' },
    };
    expectProblem(await api.post(`/api/v1/flags/${flag.id}/actions`, t.analystA, body), 403);
    const dismissed = await api.post(`/api/v1/flags/${flag.id}/actions`, t.supervisor, body);
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.status).toBe('dismissed');
    const allowlist = await api.get('/api/v1/allowlist', t.analystA);
    expect(allowlist.body.items).toEqual([
      expect.objectContaining({ kind: 'number', pattern: number, reason: 'bank hotline', createdBy: 'sup' }),
    ]);
    const subscriber = await api.get(`/api/v1/subscribers/${encodeURIComponent(number)}`, t.analystA);
    expect(subscriber.body.allowlisted).toEqual({
      kind: 'number',
      pattern: number,
      reason: 'bank hotline',
      owner: 'fraud-desk',
    });
  });

  it('assigns a flag only to someone who can review it: a live token of a role that may act', async () => {
    const listed = await raiseFlag(f, api, t.supervisor, '+84987000109');
    const assign = (assignee: string) =>
      api.post(`/api/v1/flags/${listed.id}/assign`, t.supervisor, { assignee, version: listed.version });
    for (const nobody of ['analyst-z', 'agent-17']) {
      const refused = await assign(nobody);
      expectProblem(refused, 400);
      expect(refused.body.errors).toEqual([
        {
          in: 'body',
          field: 'assignee',
          message: 'not the name of a live token of an analyst, supervisor or admin',
        },
      ]);
    }
    const assigned = await assign('analyst-b');
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'in_review', assignee: 'analyst-b' });
  });

  it('pages through the queue by cursor, most severe first, without repeats or gaps', async () => {
    const all = (await api.get('/api/v1/flags?limit=200', t.analystA)).body.items;
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: number }[]; nextCursor: string | null } } = await api.get(
        `/api/v1/flags?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        t.analystA,
      );
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((i: { id: number }) => i.id));
    const rank = { high: 3, medium: 2, low: 1 } as const;
    const ranks = all.map((i: { severity: keyof typeof rank }) => rank[i.severity]);
    expect(ranks).toEqual([...ranks].sort((x, y) => y - x));
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });
});

describe('hotline intake through the API', () => {
  const harness = new Harness();
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('counts a report submitted twice with one idempotency key once, and one with another key or from another agent again', async () => {
    const f = await harness.fixture('apihotline');
    harness.start('ingest', f.env);
    harness.start('aggregator', f.env);
    const api = await startApi(harness, f);
    const agent = (await createToken(f.db.url, 'agent-17', 'agent')).secret;
    const report = {
      reporter: '0912 345 678',
      reportedNumber: '0987.000.201',
      kind: 'scam_call',
      description: 'Gia danh cong an yeu cau chuyen tien',
      // Within the week a report may be entered after the call (HOTLINE_MAX_REPORT_AGE).
      submittedAt: new Date(Date.now() - 3_600_000).toISOString(),
    };
    const first = await api.post('/api/v1/reports', agent, report, { 'idempotency-key': 'call-0001' });
    const again = await api.post('/api/v1/reports', agent, report, { 'idempotency-key': 'call-0001' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.reportId).toBe(first.body.reportId);

    const stored = async () =>
      f.db.query<{ report_id: string; agent_id: string; channel: string; category: string }>(
        `SELECT report_id, agent_id, channel, category FROM reports WHERE reported_number = '+84987000201'`,
      );
    await eventually(stored, (rows) => rows.length >= 1);
    // Both submissions consumed and committed, so a second report would be there by now.
    await eventually(
      () => committedAndEnd(f.kafka, f.groupId, f.topics.submitted),
      (o) => o.end >= 2 && o.committed === o.end,
    );
    // Ingest writes reports.accepted in transactions, each ending with a marker the aggregator
    // never sees: its group must still commit past it, or its lag would never read 0.
    const accepted = await eventually(
      () => committedAndEnd(f.kafka, f.aggregatorGroupId, f.topics.accepted),
      (o) => o.end >= 1 && o.committed === o.end,
      20_000,
    );
    expect(accepted.committed).toBe(accepted.end);
    expect(await stored()).toEqual([
      { report_id: first.body.reportId, agent_id: 'agent-17', channel: 'hotline', category: 'impersonation' },
    ]);
    // Reported once, the number has no counters row yet (decision 0083); its page counts the report.
    const counters = await f.db.query<{ total_reports: string }>(
      `SELECT total_reports FROM subscriber_counters WHERE reported_number = '+84987000201'`,
    );
    expect(counters).toEqual([]);
    const supervisor = (await createToken(f.db.url, 'sup-1', 'supervisor')).secret;
    const page = await api.get(`/api/v1/subscribers/${encodeURIComponent('+84987000201')}`, supervisor);
    expect(page.status).toBe(200);
    expect(page.body.counters).toMatchObject({
      totalReports: 1,
      windows: { '24h': { reports: 1, distinctReporters: 1 }, '30d': { reports: 1, distinctReporters: 1 } },
      byCategory30d: { impersonation: { reports: 1, distinctReporters: 1 } },
    });

    const other = await api.post('/api/v1/reports', agent, { ...report, idempotencyKey: 'call-0002' });
    expect(other.status).toBe(202);
    expect(other.body.reportId).not.toBe(first.body.reportId);
    // Another agent's call log has its own call-0001: a different call, a different report.
    const colleague = (await createToken(f.db.url, 'agent-18', 'agent')).secret;
    const theirs = await api.post('/api/v1/reports', colleague, report, { 'idempotency-key': 'call-0001' });
    expect(theirs.status).toBe(202);
    expect(theirs.body.reportId).not.toBe(first.body.reportId);
    const counted = await eventually(
      () =>
        f.db.query<{ total_reports: string }>(
          `SELECT total_reports FROM subscriber_counters WHERE reported_number = '+84987000201'`,
        ),
      (rows) => rows[0]?.total_reports === '3',
    );
    expect(counted).toEqual([{ total_reports: '3' }]);
  });
});
