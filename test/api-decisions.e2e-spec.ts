import { ExpiryJob } from '../apps/scheduler/src/jobs';
import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { ApiClient, ApiResponse, createToken, expectProblem, Json, startApi } from './support/api';
import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce, readTopic } from './support/kafka';
import { DAY, SchedulerUnderTest } from './support/scheduler';
import { seedFlag } from './support/seed';

/** Issue 19's decisions: reason codes, watch, answers that say what happened, and supervisors' views. */

const CUSTOM_REASONS = 'dismiss=clinic_reminders,not_abuse;watch=too_few_reports';

interface People {
  lan: string;
  minh: string;
  sup: string;
  agent: string;
  gone: { id: string; secret: string };
}

let f: IngestFixture;
let api: ApiClient;
let p: People;

const flagIdOf = async (number: string) =>
  Number(
    (await f.db.query<{ id: string }>(`SELECT id FROM flags WHERE reported_number = $1`, [number]))[0].id,
  );

async function seeded(
  number: string,
  status: 'open' | 'in_review' = 'open',
  severity: 'low' | 'high' = 'low',
) {
  await seedFlag(f.db, { number, status, severity, openedAt: new Date(Date.now() - 60_000) });
  return flagIdOf(number);
}

async function holdBy(id: number, assignee: string, overdue = false) {
  await f.db.query(
    `UPDATE flags SET status = 'in_review', assignee = $2, overdue_since = CASE WHEN $3 THEN now() END WHERE id = $1`,
    [id, assignee, overdue],
  );
}

const decide = (id: number, token: string, body: Record<string, unknown>, version = 1) =>
  api.post(`/api/v1/flags/${id}/decisions`, token, { version, ...body });

function expectOk(response: ApiResponse, status = 200): Json {
  if (response.status !== status)
    throw new Error(
      `expected ${status}, got ${response.status}: ${response.text}\n${api.process.logs
        .split('\n')
        .filter((line) => /error/i.test(line))
        .join('\n')}`,
    );
  return response.body;
}

describe('decisions with reasons, watch, and what supervisors see', () => {
  const harness = new Harness();

  beforeAll(async () => {
    f = await harness.fixture('apidecisions');
    harness.start('aggregator', f.env);
    api = await startApi(harness, f, { API_DECISION_REASONS: CUSTOM_REASONS });
    const [lan, minh, sup, agent, gone] = await Promise.all([
      createToken(f.db.url, 'lan', 'analyst'),
      createToken(f.db.url, 'minh', 'analyst'),
      createToken(f.db.url, 'sup', 'supervisor'),
      createToken(f.db.url, 'agent-9', 'agent'),
      createToken(f.db.url, 'gone', 'analyst'),
    ]);
    p = { lan: lan.secret, minh: minh.secret, sup: sup.secret, agent: agent.secret, gone };
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('offers the configured reason codes per kind, the defaults for kinds left out', async () => {
    const body = expectOk(await api.get('/api/v1/decision-reasons', p.lan));
    const byKind = Object.fromEntries(body.items.map((i: Json) => [i.kind, i]));
    expect(byKind.dismiss).toEqual({
      kind: 'dismiss',
      decisions: ['dismiss'],
      reasons: ['clinic_reminders', 'not_abuse'],
    });
    expect(byKind.watch.reasons).toEqual(['too_few_reports']);
    expect(byKind.act.decisions).toEqual(['warn', 'block_outgoing', 'block_both', 'suspend', 'refer_police']);
    expect(byKind.act.reasons).toContain('confirmed_scam');
    expect(byKind.reopen.reasons).toContain('new_evidence');
  });

  it('refuses a decision without a reason of its kind, changing nothing', async () => {
    const id = await seeded('+84987001001');
    for (const reasonCode of ['confirmed_scam', 'made_up', ''] as const) {
      const refused = await decide(id, p.lan, { decision: 'dismiss', reasonCode });
      expectProblem(refused, 400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'reasonCode' })]);
    }
    expectProblem(await decide(id, p.lan, { decision: 'dismiss' }), 400);
    // A watch date goes with a watch only.
    expectProblem(
      await decide(id, p.lan, {
        decision: 'dismiss',
        reasonCode: 'not_abuse',
        watchUntil: new Date(Date.now() + DAY).toISOString(),
      }),
      400,
    );
    const flag = expectOk(await api.get(`/api/v1/flags/${id}`, p.lan));
    expect(flag).toMatchObject({ status: 'open', version: 1 });
  });

  it('answers a dismissal with allowlisting in full, and keeps the reason in the history and the audit log', async () => {
    const number = '+84987001002';
    const id = await seeded(number);
    const answer = await decide(id, p.sup, {
      decision: 'dismiss',
      reasonCode: 'clinic_reminders',
      allowlist: { reason: 'appointment reminders', owner: 'care team' },
    });
    const body = expectOk(answer);
    expect(body.flag).toMatchObject({ id, status: 'dismissed', version: 2 });
    expect(answer.headers.get('etag')).toMatch(/^"2-[0-9a-f]{16}"$/);
    expect(body.outcome).toEqual({
      decision: 'dismiss',
      reasonCode: 'clinic_reminders',
      note: null,
      decidedBy: 'sup',
      decidedAt: expect.any(String),
      before: { status: 'open', assignee: null, version: 1 },
      after: { status: 'dismissed', assignee: null, version: 2, takenAction: null },
      watchUntil: null,
      allowlisted: {
        kind: 'number',
        pattern: number,
        reason: 'appointment reminders',
        owner: 'care team',
        until: null,
        alreadyListed: false,
      },
      events: [{ eventId: `flag:${number}:2`, type: 'dismissed', topic: f.topics.subscriberFlags }],
      historySequence: 2,
    });
    const history = expectOk(await api.get(`/api/v1/flags/${id}/history`, p.lan));
    expect(history.items.at(-1)).toMatchObject({
      change: 'dismissed',
      actor: 'sup',
      reasonCode: 'clinic_reminders',
      eventId: `flag:${number}:2`,
    });
    const [audit] = await f.db.query<{ after: Json }>(
      `SELECT after FROM audit_log WHERE action = 'flag.dismiss' AND target_id = $1`,
      [String(id)],
    );
    expect(audit.after).toMatchObject({ status: 'dismissed', reasonCode: 'clinic_reminders' });
    const events = await readTopic(f.kafka, f.topics.subscriberFlags, (r) =>
      r.some((m) => m.value?.includes(`"eventId":"flag:${number}:2"`)),
    );
    const event = events
      .map((m) => JSON.parse(m.value ?? '{}'))
      .find((e) => e.eventId === `flag:${number}:2`);
    expect(event).toMatchObject({ type: 'dismissed', status: 'dismissed', reportedNumber: number });
  });

  it('allowlists for a period: the answer says until when, and an ended entry stops applying and is renewed', async () => {
    const number = '+84987001012';
    const until = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const allowlist = { reason: 'pharmacy reminders', owner: 'care team', until };
    const first = expectOk(
      await decide(await seeded(number), p.sup, {
        decision: 'dismiss',
        reasonCode: 'clinic_reminders',
        allowlist,
      }),
    );
    expect(first.outcome.allowlisted).toMatchObject({ pattern: number, until, alreadyListed: false });
    const listed = expectOk(await api.get('/api/v1/allowlist', p.lan)).items.find(
      (e: Json) => e.pattern === number,
    );
    expect(listed).toMatchObject({ expiresAt: until, inForce: true, version: 1 });
    expect(
      expectOk(await api.get(`/api/v1/subscribers/${encodeURIComponent(number)}`, p.lan)).allowlisted,
    ).not.toBeNull();

    // The period ends: the entry stays listed, marked, and no longer covers the number.
    await f.db.query(`UPDATE allowlist SET expires_at = now() - interval '1 second' WHERE pattern = $1`, [
      number,
    ]);
    const ended = expectOk(await api.get('/api/v1/allowlist', p.lan)).items.find(
      (e: Json) => e.pattern === number,
    );
    expect(ended).toMatchObject({ inForce: false });
    expect(
      expectOk(await api.get(`/api/v1/subscribers/${encodeURIComponent(number)}`, p.lan)).allowlisted,
    ).toBeNull();

    // Reopened and dismissed again, it is allowlisted again, in place of the ended entry.
    const id = first.flag.id;
    expectOk(await decide(id, p.sup, { decision: 'reopen', reasonCode: 'new_evidence' }, 2));
    const again = expectOk(
      await decide(
        id,
        p.sup,
        {
          decision: 'dismiss',
          reasonCode: 'clinic_reminders',
          allowlist: { reason: 'pharmacy reminders', owner: 'care team' },
        },
        3,
      ),
    );
    expect(again.outcome.allowlisted).toMatchObject({ until: null, alreadyListed: false });
    const renewed = expectOk(await api.get('/api/v1/allowlist', p.lan)).items.find(
      (e: Json) => e.pattern === number,
    );
    expect(renewed).toMatchObject({ expiresAt: null, inForce: true, version: 2 });

    const past = await decide(await seeded('+84987001013'), p.sup, {
      decision: 'dismiss',
      reasonCode: 'clinic_reminders',
      allowlist: { ...allowlist, until: '2020-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
    expect(past.text).toContain('must be in the future');
  });

  it('lets an analyst decide without a note, and refuses the allowlist to an analyst', async () => {
    const id = await seeded('+84987001003');
    expectProblem(
      await decide(id, p.lan, {
        decision: 'dismiss',
        reasonCode: 'not_abuse',
        allowlist: { reason: 'x', owner: 'y' },
      }),
      403,
    );
    const body = expectOk(
      await decide(id, p.lan, { decision: 'warn', reasonCode: 'confirmed_spam', note: 'tin nhan rac' }),
    );
    expect(body.outcome).toMatchObject({
      after: { status: 'actioned', takenAction: 'warn' },
      note: 'tin nhan rac',
      allowlisted: null,
      events: [{ type: 'actioned' }],
    });
    // The version is checked as before: a stale decision is a conflict.
    expectProblem(await decide(id, p.lan, { decision: 'reopen', reasonCode: 'new_evidence' }, 1), 409);
  });

  it('watches a flag until its date, out of the queue, and the expiry run brings it back', async () => {
    const id = await seeded('+84987001004');
    const until = new Date(Date.now() + 2 * DAY);
    const body = expectOk(
      await decide(id, p.lan, {
        decision: 'watch',
        reasonCode: 'too_few_reports',
        watchUntil: until.toISOString(),
      }),
    );
    expect(body.outcome).toMatchObject({
      before: { status: 'open' },
      after: { status: 'watched', assignee: null, version: 2 },
      watchUntil: until.toISOString(),
      events: [],
    });
    const open = expectOk(await api.get('/api/v1/flags?status=open,in_review&limit=200', p.lan));
    expect(open.items.map((i: Json) => i.id)).not.toContain(id);
    const watched = expectOk(await api.get('/api/v1/flags?status=watched', p.lan));
    expect(watched.items.map((i: Json) => i.id)).toContain(id);
    expect(expectOk(await api.get(`/api/v1/flags/${id}/history`, p.lan)).watchUntil).toBe(
      until.toISOString(),
    );

    const scheduler = await SchedulerUnderTest.start(f);
    try {
      await scheduler.run(ExpiryJob, new Date(until.getTime() - 60_000));
      expect((await api.get(`/api/v1/flags/${id}`, p.lan)).body.status).toBe('watched');
      await scheduler.run(ExpiryJob, new Date(until.getTime() + 60_000));
    } finally {
      await scheduler.close();
    }
    const back = expectOk(await api.get(`/api/v1/flags/${id}`, p.lan));
    expect(back).toMatchObject({ status: 'open', assignee: null, version: 3 });
    expect(back.history.at(-1)).toMatchObject({
      change: 'reopened',
      actor: 'scheduler',
      fromStatus: 'watched',
    });
  });

  it('refuses to watch a flag whose rules recommend an action, and a watch date beyond 30 days', async () => {
    const id = await seeded('+84987001005');
    const far = new Date(Date.now() + 31 * DAY).toISOString();
    expectProblem(
      await decide(id, p.lan, { decision: 'watch', reasonCode: 'too_few_reports', watchUntil: far }),
      400,
    );
    await f.db.query(`UPDATE flags SET recommended_action = 'block_outgoing' WHERE id = $1`, [id]);
    const refused = await decide(id, p.lan, { decision: 'watch', reasonCode: 'too_few_reports' });
    expectProblem(refused, 409);
    expect(refused.body.detail).toContain('recommend block_outgoing');
  });

  it('brings a watched flag back to the queue when a new report makes a rule fire', async () => {
    const number = '+84987001006';
    await produce(
      f.kafka,
      f.topics.accepted,
      [1, 2, 3].map((i) => asMessage(acceptedReport(number, reporterNumber(i), i))),
    );
    const opened = await eventually(
      () => api.get(`/api/v1/flags?status=open&limit=200`, p.lan),
      (r) => r.status === 200 && r.body.items.some((flag: Json) => flag.reportedNumber === number),
    );
    const flag = opened.body.items.find((i: Json) => i.reportedNumber === number);
    expect(flag.recommendedAction).toBe('watch');
    expectOk(
      await decide(flag.id, p.lan, { decision: 'watch', reasonCode: 'too_few_reports' }, flag.version),
    );
    await produce(f.kafka, f.topics.accepted, [asMessage(acceptedReport(number, reporterNumber(4), 4))]);
    const back = await eventually(
      () => api.get(`/api/v1/flags/${flag.id}`, p.lan),
      (r) => r.status === 200 && r.body.status === 'open',
    );
    expect(back.body.history.map((h: Json) => h.change)).toEqual(['opened', 'watched', 'reopened']);
    expect(back.body.history.at(-1)).toMatchObject({
      actor: 'rules',
      fromStatus: 'watched',
      toStatus: 'open',
    });
  });

  it('lists who may review with their workload, and shows a handover from -> to with its note', async () => {
    const held = await seeded('+84987001007');
    const late = await seeded('+84987001008', 'open', 'high');
    await holdBy(held, 'lan');
    await holdBy(late, 'lan', true);
    const orphan = await seeded('+84987001009');
    await holdBy(orphan, 'gone');
    expectOk(await api.post(`/api/v1/tokens/${p.gone.id}/revoke`, await adminSecret()));

    const reviewers = expectOk(await api.get('/api/v1/reviewers', p.sup)).items;
    const names = reviewers.map((r: Json) => r.name);
    expect(names).toEqual(expect.arrayContaining(['lan', 'minh', 'sup']));
    expect(names).not.toContain('agent-9');
    expect(names).not.toContain('gone');
    expect(reviewers.find((r: Json) => r.name === 'lan')).toMatchObject({
      role: 'analyst',
      inReview: 2,
      overdue: 1,
      oldestSlaStartedAt: expect.any(String),
    });
    // Least loaded first.
    expect(reviewers.at(-1).name).toBe('lan');

    const handed = await api.post(
      `/api/v1/flags/${held}/assign`,
      p.sup,
      { assignee: 'minh', note: 'Lan nghi phep ngay mai' },
      { 'if-match': '"1"' },
    );
    expectOk(handed);
    const history = expectOk(await api.get(`/api/v1/flags/${held}/history`, p.sup));
    expect(history.items.at(-1)).toMatchObject({
      change: 'reassigned',
      actor: 'sup',
      fromAssignee: 'lan',
      toAssignee: 'minh',
      note: 'Lan nghi phep ngay mai',
    });

    const team = expectOk(await api.get('/api/v1/team', p.sup));
    const holder = (name: string) => team.holders.find((h: Json) => h.name === name);
    expect(holder('lan')).toMatchObject({ canReview: true, inReview: 1, overdue: 1 });
    expect(holder('lan').flags).toEqual([
      expect.objectContaining({ id: late, severity: 'high', overdueSince: expect.any(String) }),
    ]);
    expect(holder('minh')).toMatchObject({ canReview: true, inReview: 1, overdue: 0 });
    expect(holder('minh').flags.map((x: Json) => x.id)).toEqual([held]);
    expect(holder('gone')).toMatchObject({ canReview: false, inReview: 1 });
    expect(holder('sup')).toMatchObject({ inReview: 0, flags: [] });
    // Overdue work first.
    expect(team.holders[0].name).toBe('lan');
    expect(team.unassigned.open).toBeGreaterThanOrEqual(0);
    expect(team.listedPerHolder).toBe(50);
  });
});

let admin: string | null = null;
async function adminSecret(): Promise<string> {
  admin ??= (await createToken(f.db.url, 'root', 'admin')).secret;
  return admin;
}
