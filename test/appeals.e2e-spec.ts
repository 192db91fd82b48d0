import { DailySummaryJob } from '../apps/scheduler/src/jobs';
import { ApiClient, ApiResponse, createToken, expectProblem, Json, startApi } from './support/api';
import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { readTopic } from './support/kafka';
import { scrapeWhenListening, sumOf } from './support/metrics';
import { SchedulerUnderTest } from './support/scheduler';
import { freePort } from './support/tcp-proxy';
import { seedFlag } from './support/seed';

/**
 * Issue 21's appeals (decisions 0064 and 0065), against the built API, PostgreSQL and Kafka: an
 * agent records a subscriber's appeal on an actioned flag, a supervisor upholds or reverses it, a
 * reversal's `lifted` event reaches subscriber.flags, and appeals show in the flag's history, the
 * queue, the audit log, the SLA and the daily summary.
 */

/** Short, so the overdue case waits seconds; every decision below comes well within it. */
const APPEAL_SLA_MS = 8_000;
const SUMMARY_TIME_ZONE = 'Asia/Ho_Chi_Minh';

interface People {
  agent: string;
  analyst: string;
  sup: string;
}

let f: IngestFixture;
let api: ApiClient;
let p: People;
let metricsPort: number;

function expectOk(response: ApiResponse, status = 200): Json {
  if (response.status !== status) {
    const errors = api.process.logs.split('\n').filter((line) => /error/i.test(line));
    throw new Error(`expected ${status}, got ${response.status}: ${response.text}\n${errors.join('\n')}`);
  }
  return response.body;
}

async function actioned(number: string, takenAction = 'block_both'): Promise<number> {
  const id = await seedFlag(f.db, {
    number,
    status: 'actioned',
    severity: 'high',
    takenAction,
    openedAt: new Date(Date.now() - 3_600_000),
    countsReportsAfter: new Date(Date.now() - 60_000),
  });
  return Number(id);
}

const appealOn = (flagId: number, token: string, body: unknown) =>
  api.post(`/api/v1/flags/${flagId}/appeals`, token, body);

const STATEMENT = 'Tôi là chủ thuê bao, số này chỉ gọi cho khách hàng của cửa hàng; please unblock.';

async function appealCount(): Promise<number> {
  const [{ n }] = await f.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM appeals`);
  return n;
}

async function auditOf(targetType: string, targetId: string): Promise<{ action: string; actor: string }[]> {
  return f.db.query(
    `SELECT action, actor FROM audit_log WHERE target_type = $1 AND target_id = $2 ORDER BY id`,
    [targetType, targetId],
  );
}

describe('appeals against actions', () => {
  const harness = new Harness();
  let scheduler: SchedulerUnderTest;

  beforeAll(async () => {
    f = await harness.fixture('appeals');
    metricsPort = await freePort();
    api = await startApi(harness, f, {
      APPEAL_SLA: `${APPEAL_SLA_MS / 1000}s`,
      METRICS_PORT: String(metricsPort),
    });
    const [agent, analyst, sup] = await Promise.all([
      createToken(f.db.url, 'agent-7', 'agent'),
      createToken(f.db.url, 'lan', 'analyst'),
      createToken(f.db.url, 'sup', 'supervisor'),
    ]);
    p = { agent: agent.secret, analyst: analyst.secret, sup: sup.secret };
    scheduler = await SchedulerUnderTest.start(f, { SUMMARY_TIME_ZONE });
  });
  afterAll(async () => {
    await scheduler?.close();
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('lets an agent find the action on a number and record the appeal, which the history, queue and audit show', async () => {
    const number = '+84987002001';
    const flagId = await actioned(number);
    const found = expectOk(await api.get(`/api/v1/appealable-flags?number=0987002001`, p.agent));
    expect(found).toEqual({
      reportedNumber: number,
      flag: { id: flagId, takenAction: 'block_both', actionedAt: expect.any(String), pendingAppeal: null },
    });

    const before = Date.now();
    const appeal = expectOk(
      await appealOn(flagId, p.agent, {
        statement: `  ${STATEMENT}\n(called twice)  `,
        channel: 'phone_call',
      }),
      201,
    );
    expect(appeal).toMatchObject({
      flagId,
      reportedNumber: number,
      statement: `${STATEMENT}\n(called twice)`,
      channel: 'phone_call',
      appealedAction: 'block_both',
      recordedBy: 'agent-7',
      status: 'pending',
      overdue: false,
      version: 1,
      decidedBy: null,
      note: null,
    });
    const due = Date.parse(appeal.dueAt) - Date.parse(appeal.receivedAt);
    expect(due).toBe(APPEAL_SLA_MS);
    expect(Date.parse(appeal.receivedAt)).toBeGreaterThanOrEqual(before - 1_000);

    // The agent now sees the pending appeal; the flag keeps its action.
    const again = expectOk(
      await api.get(`/api/v1/appealable-flags?number=${encodeURIComponent(number)}`, p.agent),
    );
    expect(again.flag.pendingAppeal).toMatchObject({ id: appeal.id });

    const flag = expectOk(await api.get(`/api/v1/flags/${flagId}`, p.analyst));
    expect(flag).toMatchObject({ status: 'actioned', takenAction: 'block_both', version: 3 });
    expect(flag.appeal).toMatchObject({ id: appeal.id, status: 'pending', overdue: false });
    expect(flag.history.at(-1)).toMatchObject({ change: 'appealed', actor: 'agent-7' });

    const queue = expectOk(await api.get(`/api/v1/flags?status=actioned`, p.analyst));
    const item = queue.items.find((i: Json) => i.id === flagId);
    expect(item.appeal).toMatchObject({ id: appeal.id, status: 'pending', dueAt: appeal.dueAt });

    expect(await auditOf('appeal', String(appeal.id))).toEqual([
      { action: 'appeal.record', actor: 'agent-7' },
    ]);
    // History only: no event for provisioning beyond the seeded ones (none were published).
    const [{ n }] = await f.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`);
    expect(n).toBe(0);
  });

  it('refuses an appeal on a flag with no action, a second pending one, bad input and the wrong role, writing nothing', async () => {
    const open = Number(
      await seedFlag(f.db, {
        number: '+84987002002',
        status: 'open',
        openedAt: new Date(Date.now() - 60_000),
      }),
    );
    const flagId = await actioned('+84987002003', 'suspend');
    expectOk(await appealOn(flagId, p.agent, { statement: STATEMENT, channel: 'shop' }), 201);
    const count = await appealCount();

    const notActioned = await appealOn(open, p.agent, { statement: STATEMENT, channel: 'shop' });
    expectProblem(notActioned, 409);
    expect(notActioned.body.type).toBe('urn:abuse-monitor:problem:flag-not-actioned');
    const second = await appealOn(flagId, p.agent, { statement: STATEMENT, channel: 'email' });
    expectProblem(second, 409);
    expect(second.body.type).toBe('urn:abuse-monitor:problem:appeal-pending');
    expectProblem(await appealOn(999_999, p.agent, { statement: STATEMENT, channel: 'shop' }), 404);

    const bad: [unknown, string][] = [
      [{ statement: '   ', channel: 'shop' }, 'statement'],
      [{ statement: 'x'.repeat(2001), channel: 'shop' }, 'statement'],
      [{ statement: 'ring ring \u0007 bell', channel: 'shop' }, 'statement'],
      [{ statement: 'nul \u0000 here', channel: 'shop' }, 'statement'],
      [{ statement: STATEMENT, channel: 'carrier_pigeon' }, 'channel'],
      [{ statement: STATEMENT }, 'channel'],
      [{ statement: STATEMENT, channel: 'shop', status: 'reversed' }, ''],
    ];
    for (const [body, field] of bad) {
      const refused = await appealOn(flagId, p.agent, body);
      expectProblem(refused, 400);
      if (field) expect(refused.body.errors).toEqual([expect.objectContaining({ in: 'body', field })]);
    }
    expectProblem(await api.get(`/api/v1/appealable-flags?number=not-a-number`, p.agent), 400);

    // Analysts do not record appeals; agents read neither the queue nor the appeals, nor decide.
    expectProblem(await appealOn(flagId, p.analyst, { statement: STATEMENT, channel: 'shop' }), 403);
    expectProblem(await api.get('/api/v1/appeals', p.agent), 403);
    expectProblem(await api.get(`/api/v1/flags/${flagId}`, p.agent), 403);
    const [pending] = expectOk(await api.get('/api/v1/appeals?status=pending', p.sup)).items.filter(
      (a: Json) => a.flagId === flagId,
    );
    const decision = { decision: 'reverse', note: 'mistaken', version: 1 };
    expectProblem(await api.post(`/api/v1/appeals/${pending.id}/decisions`, p.agent, decision), 403);
    expectProblem(await api.post(`/api/v1/appeals/${pending.id}/decisions`, p.analyst, decision), 403);
    // A decision needs a note, and allowlisting goes only with a reversal.
    expectProblem(
      await api.post(`/api/v1/appeals/${pending.id}/decisions`, p.sup, { ...decision, note: '' }),
      400,
    );
    expectProblem(
      await api.post(`/api/v1/appeals/${pending.id}/decisions`, p.sup, {
        decision: 'uphold',
        note: 'fine',
        version: 1,
        allowlist: { reason: 'x', owner: 'y', until: new Date(Date.now() + 86_400_000).toISOString() },
      }),
      400,
    );

    expect(await appealCount()).toBe(count);
    const still = expectOk(await api.get(`/api/v1/appeals/${pending.id}`, p.sup));
    expect(still).toMatchObject({ status: 'pending', version: 1, flag: { id: flagId, status: 'actioned' } });
  });

  it('reverses an appeal: the action is lifted, a lifted event reaches subscriber.flags, the number is allowlisted for a while', async () => {
    const number = '+84987002004';
    const flagId = await actioned(number, 'block_outgoing');
    const appeal = expectOk(
      await appealOn(flagId, p.agent, { statement: STATEMENT, channel: 'web_form' }),
      201,
    );
    const url = `/api/v1/appeals/${appeal.id}/decisions`;

    const stale = await api.post(url, p.sup, { decision: 'reverse', note: 'x', version: 2 });
    expectProblem(stale, 409);
    expect(stale.body.currentVersion).toBe(1);

    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const body = expectOk(
      await api.post(url, p.sup, {
        decision: 'reverse',
        note: 'the shop’s own number: blocked by a rival’s reports',
        version: 1,
        allowlist: { reason: 'appeal upheld for the subscriber', owner: 'care team', until },
      }),
    );
    expect(body.appeal).toMatchObject({
      id: appeal.id,
      status: 'reversed',
      decidedBy: 'sup',
      version: 2,
      overdue: false,
      note: 'the shop’s own number: blocked by a rival’s reports',
    });
    expect(Date.parse(body.appeal.decidedAt)).toBeLessThan(Date.parse(body.appeal.dueAt));
    expect(body.flag).toEqual({ id: flagId, version: 4, status: 'dismissed', takenAction: null });
    expect(body.events).toEqual([
      { eventId: `flag:${number}:4`, type: 'lifted', topic: f.topics.subscriberFlags },
    ]);
    expect(body.allowlisted).toEqual({ pattern: number, until, alreadyListed: false });

    const events = await readTopic(f.kafka, f.topics.subscriberFlags, (r) =>
      r.some((m) => m.value?.includes(`"eventId":"flag:${number}:4"`)),
    );
    const event = events
      .map((m) => JSON.parse(m.value ?? '{}'))
      .find((e) => e.eventId === `flag:${number}:4`);
    expect(event).toMatchObject({
      type: 'lifted',
      reportedNumber: number,
      status: 'dismissed',
      takenAction: null,
      liftedAction: 'block_outgoing',
      actor: 'sup',
    });

    const flag = expectOk(await api.get(`/api/v1/flags/${flagId}`, p.sup));
    expect(flag.history.slice(-2).map((h: Json) => h.change)).toEqual(['appealed', 'lifted']);
    expect(flag.appeal).toMatchObject({ id: appeal.id, status: 'reversed', overdue: false });
    expect(await auditOf('appeal', String(appeal.id))).toEqual([
      { action: 'appeal.record', actor: 'agent-7' },
      { action: 'appeal.reverse', actor: 'sup' },
    ]);
    expect((await auditOf('flag', String(flagId))).map((a) => a.action)).toEqual(['flag.lift']);
    const [entry] = await f.db.query<{ expires_at: Date }>(
      `SELECT expires_at FROM allowlist WHERE kind = 'number' AND pattern = $1`,
      [number],
    );
    expect(entry.expires_at.toISOString()).toBe(until);

    // Decided once: a second decision is a conflict, and a lifted flag takes no new appeal.
    expectProblem(await api.post(url, p.sup, { decision: 'uphold', note: 'x', version: 2 }), 409);
    const noAction = await appealOn(flagId, p.agent, { statement: STATEMENT, channel: 'letter' });
    expect(noAction.body.type).toBe('urn:abuse-monitor:problem:flag-not-actioned');
  });

  it('upholds an appeal: the action stays, history only, no event', async () => {
    const number = '+84987002005';
    const flagId = await actioned(number, 'warn');
    const appeal = expectOk(await appealOn(flagId, p.agent, { statement: STATEMENT, channel: 'email' }), 201);
    const body = expectOk(
      await api.post(`/api/v1/appeals/${appeal.id}/decisions`, p.sup, {
        decision: 'uphold',
        note: 'twelve independent reports of scam calls',
        version: 1,
      }),
    );
    expect(body.appeal).toMatchObject({ status: 'upheld', decidedBy: 'sup' });
    expect(Date.parse(body.appeal.decidedAt)).toBeLessThan(Date.parse(body.appeal.dueAt));
    expect(body.flag).toEqual({ id: flagId, version: 4, status: 'actioned', takenAction: 'warn' });
    expect(body.events).toEqual([]);
    const [{ n }] = await f.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE message_key = $1`,
      [number],
    );
    expect(n).toBe(0);
    const history = expectOk(await api.get(`/api/v1/flags/${flagId}/history`, p.sup));
    expect(history.items.at(-1)).toMatchObject({
      change: 'appeal_upheld',
      actor: 'sup',
      toStatus: 'actioned',
    });
    expect((await auditOf('appeal', String(appeal.id))).map((a) => a.action)).toEqual([
      'appeal.record',
      'appeal.uphold',
    ]);
  });

  it('marks a pending appeal overdue once its SLA passes, lists it first, and counts the day in the summary', async () => {
    const flagId = await actioned('+84987002006', 'suspend');
    const appeal = expectOk(
      await appealOn(flagId, p.agent, { statement: STATEMENT, channel: 'letter' }),
      201,
    );
    expect(appeal.overdue).toBe(false);
    const notYet = expectOk(await api.get('/api/v1/appeals?overdue=true', p.sup));
    expect(notYet.items.map((a: Json) => a.id)).not.toContain(appeal.id);

    await eventually(
      async () => expectOk(await api.get('/api/v1/appeals?overdue=true', p.analyst)),
      (overdue) => overdue.items.some((a: Json) => a.id === appeal.id),
      APPEAL_SLA_MS + 10_000,
    );
    const read = expectOk(await api.get(`/api/v1/appeals/${appeal.id}`, p.sup));
    expect(read).toMatchObject({ overdue: true, status: 'pending' });
    const queue = expectOk(await api.get(`/api/v1/flags?status=actioned`, p.sup));
    expect(queue.items.find((i: Json) => i.id === flagId).appeal).toMatchObject({ overdue: true });

    // In SLA order, two to a page: the pages together are every appeal, each once, due first first.
    const seen: Json[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = expectOk(await api.get(`/api/v1/appeals?limit=2${query}`, p.sup));
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(await appealCount());
    const dues = seen.map((a) => Date.parse(a.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));

    // The metrics: every appeal received by its channel, the two decisions, the three waiting, all overdue.
    const samples = await scrapeWhenListening(metricsPort);
    expect(sumOf(samples, 'abuse_monitor_appeals_received_total')).toBe(await appealCount());
    expect(sumOf(samples, 'abuse_monitor_appeals_received_total', { channel: 'letter' })).toBe(1);
    expect(
      sumOf(samples, 'abuse_monitor_appeals_decided_total', { outcome: 'reversed', late: 'false' }),
    ).toBe(1);
    expect(sumOf(samples, 'abuse_monitor_appeals_decided_total', { outcome: 'upheld', late: 'false' })).toBe(
      1,
    );
    expect(sumOf(samples, 'abuse_monitor_appeals_pending')).toBe(3);
    expect(sumOf(samples, 'abuse_monitor_appeals_overdue')).toBe(3);

    // The day's summary: recorded today, 1 upheld, 1 reversed; the pending ones fell due undecided.
    const day = new Date().toLocaleDateString('en-CA', { timeZone: SUMMARY_TIME_ZONE });
    await scheduler.job(DailySummaryJob).generate(day);
    const [{ pending }] = await f.db.query<{ pending: number }>(
      `SELECT count(*)::int AS pending FROM appeals WHERE status = 'pending'`,
    );
    const summary = expectOk(await api.get(`/api/v1/summaries/daily?date=${day}`, p.sup));
    expect(summary.appeals).toEqual({
      received: await appealCount(),
      upheld: 1,
      reversed: 1,
      overdue: pending,
    });
    expect(pending).toBe(3);
  });
});
