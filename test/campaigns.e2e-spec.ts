import { campaignEventSchema, flagEventSchema } from '@abuse-monitor/messaging';
import { CampaignsJob } from '../apps/scheduler/src/jobs';
import {
  SCAM_SCRIPTS,
  seededRandom,
  unrelatedText,
  variantOf,
} from '../libs/domain/src/campaigns/spec-support';
import { acceptedReport, asMessage, T0 } from './support/accepted-report';
import { ApiClient, ApiResponse, createToken, expectProblem, Json, startApi } from './support/api';
import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce, readTopic } from './support/kafka';
import { scrapeWhenListening, sumOf } from './support/metrics';
import { freePort } from './support/tcp-proxy';
import { HOUR, SchedulerUnderTest } from './support/scheduler';

/**
 * Issue 20's campaigns through the real broker, aggregator and PostgreSQL: reports become flags,
 * the scheduler's campaigns job groups them, the API acts on the campaign, and the next SIM of the
 * actioned campaign is flagged at two reporters and joins it.
 */

const random = seededRandom(20_261_204);
const SCRIPT = SCAM_SCRIPTS[1] as string;
/** One block: the same first 8 digits of the national form (0987654 3xx), 30 of its numbers. */
const blockNumber = (i: number) => `+849876543${String(i).padStart(2, '0')}`;
/** Each in a block of its own, far from the campaign's. */
const unrelatedNumber = (i: number) => `+8491${String(10 + i)}00${String(100 + i)}`;
/** Distinct people: no reporter reports two numbers, so only the texts and the block tie numbers. */
const person = (i: number) => `+8497${String(1_000_000 + i).padStart(7, '0')}`;

let f: IngestFixture;
let api: ApiClient;
let scheduler: SchedulerUnderTest;
let analyst: string;
let supervisor: string;
let apiMetricsPort: number;

const reportCount = async () =>
  Number((await f.db.query<{ n: string }>('SELECT count(*) AS n FROM reports'))[0]!.n);

async function send(reports: ReturnType<typeof acceptedReport>[]) {
  const before = await reportCount();
  await produce(f.kafka, f.topics.accepted, reports.map(asMessage));
  await eventually(reportCount, (n) => n >= before + reports.length);
}

function expectOk(response: ApiResponse, status = 200): Json {
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${response.text}`);
  return response.body;
}

const campaignRows = () =>
  f.db.query<{ id: string; status: string; member_count: number }>(
    `SELECT id, status, member_count FROM campaigns ORDER BY id`,
  );

describe('campaigns: grouping, a decision on all members, and the next SIM', () => {
  const harness = new Harness();
  const scam = Array.from({ length: 30 }, (_, i) => blockNumber(i));
  const unrelated = Array.from({ length: 30 }, (_, i) => unrelatedNumber(i));
  const nextSim = blockNumber(77);
  let campaignId: number;
  let splitId: number;

  beforeAll(async () => {
    f = await harness.fixture('campaigns');
    harness.start('aggregator', f.env);
    apiMetricsPort = await freePort();
    api = await startApi(harness, f, { METRICS_PORT: String(apiMetricsPort) });
    scheduler = await SchedulerUnderTest.start(f);
    analyst = (await createToken(f.db.url, 'lan', 'analyst')).secret;
    supervisor = (await createToken(f.db.url, 'sup', 'supervisor')).secret;
  });
  afterAll(async () => {
    await scheduler.close();
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('groups 30 numbers of one block and one script into one campaign, and none of 30 unrelated ones', async () => {
    let who = 0;
    const reports = [
      ...scam.flatMap((number, n) =>
        Array.from({ length: 5 }, (_, r) =>
          acceptedReport(number, person(who++), n * 3 + r, {
            kind: 'scam_call',
            content: variantOf(random, SCRIPT, 1 + (r % 2)),
          }),
        ),
      ),
      ...unrelated.flatMap((number, n) => {
        const text = unrelatedText(random);
        return Array.from({ length: 5 }, (_, r) =>
          acceptedReport(number, person(who++), n * 3 + r, { kind: 'scam_call', content: text }),
        );
      }),
    ];
    await send(reports);
    // Five scam-call reporters in a day flag each number (the default rules).
    await eventually(
      async () =>
        Number(
          (await f.db.query<{ n: string }>(`SELECT count(*) AS n FROM flags WHERE status = 'open'`))[0]!.n,
        ),
      (n) => n >= 60,
    );

    expect(await scheduler.run(CampaignsJob, new Date(T0 + 4 * HOUR))).toMatchObject({
      outcome: 'succeeded',
    });
    const campaigns = await campaignRows();
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toMatchObject({ status: 'open', member_count: 30 });
    campaignId = Number(campaigns[0]!.id);

    const detail = expectOk(await api.get(`/api/v1/campaigns/${campaignId}`, analyst));
    expect(detail.members.map((m: Json) => m.reportedNumber)).toEqual([...scam].sort());
    expect(detail.distinctReporters).toBe(150);
    expect(detail.carriers).toEqual(['viettel']);
    expect(detail.severity).toBe('high');
    // Every member says what ties it in: the near-identical text and the number block.
    for (const member of detail.members) {
      expect(member.links.length).toBeGreaterThan(0);
      expect(member.links[0].explanation).toMatch(/near-identical text/);
    }
    expect(
      detail.members.some((m: Json) => m.links.some((l: Json) => /one number block/.test(l.explanation))),
    ).toBe(true);
    expect(detail.timeline.map((h: Json) => [h.change, h.eventId])).toEqual([
      ['opened', `campaign:${campaignId}:1`],
    ]);

    const unrelatedMembers = await f.db.query(
      `SELECT 1 FROM campaign_members WHERE reported_number = ANY($1)`,
      [unrelated],
    );
    expect(unrelatedMembers).toHaveLength(0);

    const listed = expectOk(
      await api.get('/api/v1/campaigns?status=open&severity=high&carrier=viettel', analyst),
    );
    expect(listed.items.map((c: Json) => c.id)).toEqual([campaignId]);
    expect(expectOk(await api.get('/api/v1/campaigns?status=actioned', analyst)).items).toEqual([]);

    // The API's gauges: one open high campaign of 30 numbers.
    const samples = await scrapeWhenListening(apiMetricsPort);
    expect(sumOf(samples, 'abuse_monitor_campaigns', { status: 'open', severity: 'high' })).toBe(1);
    expect(sumOf(samples, 'abuse_monitor_campaign_members', { status: 'open', severity: 'high' })).toBe(30);

    // A flag's page names its campaign; an unrelated flag names none.
    const memberFlag = detail.members[0].flagId;
    expect(expectOk(await api.get(`/api/v1/flags/${memberFlag}`, analyst)).campaign).toEqual({
      id: campaignId,
      status: 'open',
    });
    const [other] = await f.db.query<{ id: string }>(`SELECT id FROM flags WHERE reported_number = $1`, [
      unrelated[0],
    ]);
    expect(expectOk(await api.get(`/api/v1/flags/${other!.id}`, analyst)).campaign).toBeNull();

    // A second run with nothing new changes nothing.
    expect(await scheduler.run(CampaignsJob, new Date(T0 + 5 * HOUR))).toMatchObject({
      outcome: 'succeeded',
    });
    expect(await campaignRows()).toEqual(campaigns);
  });

  it('applies one decision to every member flag, each with its history and event naming the campaign', async () => {
    const stale = await api.post(`/api/v1/campaigns/${campaignId}/decisions`, analyst, {
      decision: 'block_outgoing',
      reasonCode: 'confirmed_scam',
      version: 7,
    });
    expectProblem(stale, 409);
    expect(stale.body).toMatchObject({ currentVersion: 1 });

    const body = expectOk(
      await api.post(`/api/v1/campaigns/${campaignId}/decisions`, analyst, {
        decision: 'block_outgoing',
        reasonCode: 'confirmed_scam',
        note: 'one prize scam on 30 SIMs',
        version: 1,
      }),
    );
    expect(body.campaign).toMatchObject({ status: 'actioned', takenAction: 'block_outgoing', version: 2 });
    expect(body.changed).toHaveLength(30);
    expect(body.unchanged).toEqual([]);

    const flags = await f.db.query<{ status: string; taken_action: string }>(
      `SELECT status, taken_action FROM flags WHERE reported_number = ANY($1)`,
      [scam],
    );
    expect(flags.every((r) => r.status === 'actioned' && r.taken_action === 'block_outgoing')).toBe(true);
    const history = await f.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM flag_history WHERE reported_number = ANY($1) AND change = 'actioned' AND actor = 'lan'`,
      [scam],
    );
    expect(Number(history[0]!.n)).toBe(30);
    const audit = await f.db.query<{ target_type: string; n: string }>(
      `SELECT target_type, count(*) AS n FROM audit_log GROUP BY target_type ORDER BY target_type`,
    );
    expect(audit.map((a) => [a.target_type, Number(a.n)])).toEqual([
      ['campaign', 1],
      ['flag', 30],
    ]);

    const flagEvents = await readTopic(
      f.kafka,
      f.topics.subscriberFlags,
      (r) => r.filter((m) => JSON.parse(m.value ?? '{}').type === 'actioned').length >= 30,
    );
    const actioned = flagEvents.map((m) => JSON.parse(m.value ?? '{}')).filter((e) => e.type === 'actioned');
    expect(actioned).toHaveLength(30);
    expect(actioned.every((e) => e.campaignId === String(campaignId))).toBe(true);
    const campaignEvents = await readTopic(f.kafka, f.topics.subscriberCampaigns, 2);
    // What goes out holds to the published contracts.
    for (const m of campaignEvents)
      expect(campaignEventSchema.safeParse(JSON.parse(m.value ?? '')).error).toBeUndefined();
    for (const e of actioned) expect(flagEventSchema.safeParse(e).error).toBeUndefined();
    expect(campaignEvents.map((m) => [m.key, JSON.parse(m.value ?? '{}').type])).toEqual([
      [String(campaignId), 'opened'],
      [String(campaignId), 'actioned'],
    ]);
  });

  it("flags an actioned campaign's next SIM at two reporters, and it joins the campaign", async () => {
    await send([
      acceptedReport(nextSim, person(900), 6 * 60, {
        kind: 'scam_call',
        content: variantOf(random, SCRIPT, 1),
      }),
      acceptedReport(nextSim, person(901), 6 * 60 + 5, {
        kind: 'scam_call',
        content: variantOf(random, SCRIPT, 2),
      }),
    ]);
    // Two reporters: no flag rule fires.
    expect(await f.db.query(`SELECT 1 FROM flags WHERE reported_number = $1`, [nextSim])).toHaveLength(0);

    expect(await scheduler.run(CampaignsJob, new Date(T0 + 7 * HOUR))).toMatchObject({
      outcome: 'succeeded',
    });
    const [flag] = await f.db.query<{
      id: string;
      status: string;
      rule_id: string;
      severity: string;
      evidence: Json;
    }>(
      `SELECT id, status, rule_id, severity, recommended_action, evidence FROM flags WHERE reported_number = $1`,
      [nextSim],
    );
    expect(flag).toMatchObject({
      status: 'open',
      rule_id: 'campaign-next-sim',
      severity: 'high',
      recommended_action: 'block_outgoing',
    });
    expect(flag!.evidence).toMatchObject({
      measured: 2,
      threshold: 2,
      campaign: { campaignId: String(campaignId) },
    });
    expect(flag!.evidence.campaign.reason).toMatch(/flagged at 2 distinct reporters/);

    const detail = expectOk(await api.get(`/api/v1/campaigns/${campaignId}`, analyst));
    expect(detail.memberCount).toBe(31);
    const joined = detail.members.find((m: Json) => m.reportedNumber === nextSim);
    expect(joined).toMatchObject({ joinedBy: 'next_sim', flagStatus: 'open' });
    expect(joined.nextSim).toMatch(new RegExp(`match actioned campaign ${campaignId}`));
    expect(detail.timeline.map((h: Json) => h.change)).toEqual(['opened', 'actioned', 'members_changed']);

    const events = await readTopic(f.kafka, f.topics.subscriberFlags, (r) =>
      r.some((m) => m.key === nextSim),
    );
    const opened = events.map((m) => JSON.parse(m.value ?? '{}')).find((e) => e.reportedNumber === nextSim);
    expect(opened).toMatchObject({
      type: 'opened',
      ruleId: 'campaign-next-sim',
      campaignId: String(campaignId),
    });

    // The next run keeps it in the campaign: its texts link it to the members too.
    expect(await scheduler.run(CampaignsJob, new Date(T0 + 8 * HOUR))).toMatchObject({
      outcome: 'succeeded',
    });
    expect(await campaignRows()).toEqual([{ id: String(campaignId), status: 'actioned', member_count: 31 }]);
  });

  it('remembers a supervisor removing a member: the grouping does not put it back', async () => {
    const number = scam[5] as string;
    const version = expectOk(await api.get(`/api/v1/campaigns/${campaignId}`, analyst)).version;
    expectProblem(
      await api.post(`/api/v1/campaigns/${campaignId}/remove-member`, analyst, { number, version }),
      403,
    );
    const body = expectOk(
      await api.post(`/api/v1/campaigns/${campaignId}/remove-member`, supervisor, { number, version }),
    );
    expect(body.memberCount).toBe(30);
    // New reports make the number change, so the grouping looks at it again.
    await send([
      acceptedReport(number, person(950), 9 * 60, {
        kind: 'scam_call',
        content: variantOf(random, SCRIPT, 1),
      }),
    ]);
    expect(await scheduler.run(CampaignsJob, new Date(T0 + 10 * HOUR))).toMatchObject({
      outcome: 'succeeded',
    });
    expect(
      await f.db.query(`SELECT 1 FROM campaign_members WHERE reported_number = $1`, [number]),
    ).toHaveLength(0);
    expect((await campaignRows()).find((c) => c.id === String(campaignId))).toMatchObject({
      member_count: 30,
    });
  });
  it('remembers a split: both sides keep their campaign when the grouping runs again', async () => {
    const leaving = scam.slice(20);
    const version = expectOk(await api.get(`/api/v1/campaigns/${campaignId}`, analyst)).version;
    const body = expectOk(
      await api.post(`/api/v1/campaigns/${campaignId}/split`, supervisor, { numbers: leaving, version }),
    );
    splitId = body.newCampaignId;
    expect(body.campaign.memberCount).toBe(20);
    // A new report on each side makes both change, so the grouping looks at them again.
    await send([
      acceptedReport(leaving[0] as string, person(960), 11 * 60, {
        kind: 'scam_call',
        content: variantOf(random, SCRIPT, 1),
      }),
      acceptedReport(scam[0] as string, person(961), 11 * 60, {
        kind: 'scam_call',
        content: variantOf(random, SCRIPT, 1),
      }),
    ]);
    expect(await scheduler.run(CampaignsJob, new Date(T0 + 12 * HOUR))).toMatchObject({
      outcome: 'succeeded',
    });
    const members = await f.db.query<{ campaign_id: string; n: string }>(
      `SELECT campaign_id, count(*) AS n FROM campaign_members GROUP BY campaign_id ORDER BY campaign_id`,
    );
    expect(members.map((m) => [Number(m.campaign_id), Number(m.n)])).toEqual([
      [campaignId, 20],
      [splitId, 10],
    ]);
    const split = expectOk(await api.get(`/api/v1/campaigns/${splitId}`, analyst));
    expect(split.members.map((m: Json) => m.reportedNumber)).toEqual(leaving);
    expect(split.timeline.map((h: Json) => h.change)).toEqual(['opened']);
  });
  it("names the campaign on the aggregator's events about a member", async () => {
    const member = scam[1] as string;
    // Reports after the decision (taken at the wall clock's now) count towards its flag again.
    const now = (Date.now() - T0) / 60_000;
    await send(
      Array.from({ length: 5 }, (_, r) =>
        acceptedReport(member, person(970 + r), now - (5 - r) / 60_000, {
          kind: 'scam_call',
          content: variantOf(random, SCRIPT, 1),
        }),
      ),
    );
    const events = await readTopic(f.kafka, f.topics.subscriberFlags, (r) =>
      r.some((m) => m.key === member && JSON.parse(m.value ?? '{}').type === 'reopened'),
    );
    const reopened = events.map((m) => JSON.parse(m.value ?? '{}')).find((e) => e.type === 'reopened');
    expect(reopened).toMatchObject({
      reportedNumber: member,
      actor: 'rules',
      campaignId: String(campaignId),
    });
    // A number in no campaign gets events without one.
    const opened = events
      .map((m) => JSON.parse(m.value ?? '{}'))
      .find((e) => e.reportedNumber === unrelated[0]);
    expect(opened).toMatchObject({ type: 'opened' });
    expect(opened).not.toHaveProperty('campaignId');
  });
  it('reopens an actioned campaign and the member flags its decision closed', async () => {
    const { version, members } = expectOk(await api.get(`/api/v1/campaigns/${campaignId}`, analyst));
    const closed = members
      .filter((m: Json) => m.flagStatus === 'actioned')
      .map((m: Json) => m.reportedNumber as string);
    const stillOpen = members
      .filter((m: Json) => m.flagStatus !== 'actioned')
      .map((m: Json) => m.reportedNumber as string);
    // The decision closed 29 (30 less the removed one); 10 left with the split, one was reopened
    // by new reports; the next SIM's flag is open.
    expect([closed.length, stillOpen.length]).toEqual([18, 2]);
    expectProblem(
      await api.post(`/api/v1/campaigns/${campaignId}/reopen`, analyst, { reasonCode: 'not_abuse', version }),
      400,
    );
    expectProblem(
      await api.post(`/api/v1/campaigns/${campaignId}/reopen`, analyst, {
        reasonCode: 'decided_in_error',
        version: version + 5,
      }),
      409,
    );

    const body = expectOk(
      await api.post(`/api/v1/campaigns/${campaignId}/reopen`, analyst, {
        reasonCode: 'decided_in_error',
        note: 'two of these are a real lottery',
        version,
      }),
    );
    expect(body.campaign).toMatchObject({
      status: 'open',
      assignee: null,
      takenAction: 'block_outgoing',
      version: version + 1,
    });
    expect(body.changed.map((c: Json) => c.reportedNumber).sort()).toEqual([...closed].sort());
    expect(body.unchanged.map((c: Json) => c.reportedNumber).sort()).toEqual([...stillOpen].sort());
    expect(body.unchanged.every((c: Json) => /nothing to reopen/.test(c.reason))).toBe(true);
    const flags = await f.db.query<{ status: string }>(
      `SELECT status FROM flags WHERE reported_number = ANY($1)`,
      [closed],
    );
    expect(flags.map((r) => r.status)).toEqual(closed.map(() => 'open'));
    const audit = await f.db.query<{ action: string; n: string }>(
      `SELECT action, count(*) AS n FROM audit_log WHERE action IN ('campaign.reopened', 'flag.reopen')
        GROUP BY action ORDER BY action`,
    );
    expect(audit.map((a) => [a.action, Number(a.n)])).toEqual([
      ['campaign.reopened', 1],
      ['flag.reopen', 18],
    ]);
    const flagEvents = await readTopic(
      f.kafka,
      f.topics.subscriberFlags,
      (r) =>
        r.filter(
          (m) =>
            JSON.parse(m.value ?? '{}').actor === 'lan' && JSON.parse(m.value ?? '{}').type === 'reopened',
        ).length >= 18,
    );
    const reopened = flagEvents
      .map((m) => JSON.parse(m.value ?? '{}'))
      .filter((e) => e.type === 'reopened' && e.actor === 'lan');
    expect(reopened.map((e) => e.reportedNumber).sort()).toEqual([...closed].sort());
    expect(reopened.every((e) => e.campaignId === String(campaignId))).toBe(true);
    const campaignEvents = (
      await readTopic(f.kafka, f.topics.subscriberCampaigns, (r) =>
        r.some((m) => JSON.parse(m.value ?? '{}').type === 'reopened'),
      )
    ).filter((m) => m.key === String(campaignId));
    const event = JSON.parse(campaignEvents[campaignEvents.length - 1]?.value ?? '{}');
    expect(campaignEventSchema.safeParse(event).error).toBeUndefined();
    expect(event).toMatchObject({ type: 'reopened', status: 'open', actor: 'lan', memberCount: 20 });

    // Open now: nothing to reopen.
    expectProblem(
      await api.post(`/api/v1/campaigns/${campaignId}/reopen`, analyst, {
        reasonCode: 'decided_in_error',
        version: version + 1,
      }),
      409,
    );
  });

  it("lets only a supervisor reopen a supervisor's decision on a campaign", async () => {
    const { version } = expectOk(await api.get(`/api/v1/campaigns/${splitId}`, supervisor));
    expectOk(
      await api.post(`/api/v1/campaigns/${splitId}/decisions`, supervisor, {
        decision: 'dismiss',
        reasonCode: 'not_abuse',
        version,
      }),
    );
    const refused = await api.post(`/api/v1/campaigns/${splitId}/reopen`, analyst, {
      reasonCode: 'new_evidence',
      version: version + 1,
    });
    expectProblem(refused, 403);
    expect(refused.body.detail).toMatch(/only a supervisor can reopen it/);
    const body = expectOk(
      await api.post(`/api/v1/campaigns/${splitId}/reopen`, supervisor, {
        reasonCode: 'new_evidence',
        version: version + 1,
      }),
    );
    expect(body.campaign).toMatchObject({ status: 'open', version: version + 2 });
    expect(body.changed).toHaveLength(10);
  });

  it('ties a number flagged later to an open campaign by its text alone', async () => {
    // Each number in a block of its own, reported by people of its own, the last one more than
    // onsetWithinHours after the others: only the text can tie it in. (How the grouping finds the
    // stored members is campaign-neighbours.e2e-spec's: here the job's clock makes every flag of
    // the run look changed.)
    const script = SCAM_SCRIPTS[2] as string;
    const numbers = ['+84701234561', '+84762345672', '+84773456783', '+84784567894'];
    const later = '+84795678905';
    const flagged = (number: string, start: number, firstPerson: number) =>
      Array.from({ length: 5 }, (_, r) =>
        acceptedReport(number, person(firstPerson + r), start + r, {
          kind: 'scam_call',
          content: variantOf(random, script, 1 + (r % 2)),
        }),
      );
    const openFlagOf = (number: string) =>
      eventually(
        () => f.db.query(`SELECT 1 FROM flags WHERE reported_number = $1 AND status = 'open'`, [number]),
        (rows) => rows.length === 1,
      );
    await send(numbers.flatMap((number, n) => flagged(number, 13 * 60 + n * 5, 2_000 + n * 10)));
    for (const number of numbers) await openFlagOf(number);
    expect(await scheduler.run(CampaignsJob, new Date(T0 + 14 * HOUR))).toMatchObject({
      outcome: 'succeeded',
    });
    const membersOf = (number: string) =>
      f.db.query<{ campaign_id: string }>(
        `SELECT campaign_id FROM campaign_members WHERE reported_number = $1`,
        [number],
      );
    const [first] = await membersOf(numbers[0] as string);
    expect(first).toBeDefined();
    for (const number of numbers) expect(await membersOf(number)).toEqual([first]);

    await send(flagged(later, 20 * 60, 2_100));
    await openFlagOf(later);
    expect(await scheduler.run(CampaignsJob, new Date(T0 + 21 * HOUR))).toMatchObject({
      outcome: 'succeeded',
    });
    expect(await membersOf(later)).toEqual([first]);
    const detail = expectOk(await api.get(`/api/v1/campaigns/${first!.campaign_id}`, analyst));
    const joined = detail.members.find((m: Json) => m.reportedNumber === later);
    expect(joined.links.map((l: Json) => l.explanation).join(' ')).toMatch(/near-identical text/);
    expect(joined.links.map((l: Json) => l.explanation).join(' ')).not.toMatch(/number block|apart/);
  });
});
