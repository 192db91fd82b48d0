import type { FlagRow } from '@abuse-monitor/persistence';
import { ApiClient, createToken, startApi } from './support/api';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { readTopic } from './support/kafka';
import { DAY, HOUR, MINUTE, SchedulerUnderTest } from './support/scheduler';
import { seedCounters, seedFlag, seedReports } from './support/seed';
import { eventually } from './support/app-process';
import { ExpiryJob, RepeatOffendersJob, SlaEscalationJob } from '../apps/scheduler/src/jobs';

const T = new Date('2026-11-02T03:00:00Z');
const at = (ms: number) => new Date(T.getTime() + ms);

type FlagColumns = Pick<
  FlagRow,
  'status' | 'severity' | 'sequence' | 'recommended_action' | 'assignee' | 'overdue_since'
>;

const flagOf = async (f: IngestFixture, number: string) =>
  (
    await f.db.query<FlagColumns>(
      'SELECT status, severity, sequence, recommended_action, assignee, overdue_since FROM flags WHERE reported_number = $1',
      [number],
    )
  )[0];

const historyOf = async (f: IngestFixture, number: string) =>
  f.db.query<{ sequence: number; change: string; actor: string; event_id: string | null }>(
    'SELECT sequence, change, actor, event_id FROM flag_history WHERE reported_number = $1 ORDER BY sequence',
    [number],
  );

const outboxEvents = async (f: IngestFixture, number: string) =>
  (
    await f.db.query<{ payload: string }>(
      `SELECT payload FROM outbox WHERE topic = $1 AND message_key = $2 ORDER BY id`,
      [f.topics.subscriberFlags, number],
    )
  ).map(
    (r) =>
      JSON.parse(r.payload) as { eventId: string; type: string; severity: string; recommendedAction: string },
  );

describe('scheduled jobs act exactly at their boundaries', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let scheduler: SchedulerUnderTest;
  let api: ApiClient;

  beforeAll(async () => {
    f = await harness.fixture('jobs');
    api = await startApi(harness, f);
    scheduler = await SchedulerUnderTest.start(f, {
      SLA_HIGH: '2h',
      SLA_MEDIUM: '24h',
      SLA_LOW: '72h',
      SLA_REVIEW_HIGH: '4h',
      REPEAT_OFFENCE_PERIOD: '30d',
      REPEAT_OFFENCE_NEW_REPORTERS: '2',
      EXPIRY_QUIET_PERIOD: '7d',
    });
  });
  afterAll(async () => {
    await scheduler.close();
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('escalates an unclaimed low flag one minute after its SLA, not one minute before', async () => {
    const number = '+84987000301';
    await seedFlag(f.db, { number, severity: 'low', openedAt: T });
    expect(await scheduler.run(SlaEscalationJob, at(72 * HOUR - MINUTE))).toEqual({
      outcome: 'succeeded',
      items: 0,
    });
    expect(await flagOf(f, number)).toMatchObject({ severity: 'low', sequence: 1 });

    expect(await scheduler.run(SlaEscalationJob, at(72 * HOUR + MINUTE))).toEqual({
      outcome: 'succeeded',
      items: 1,
    });
    expect(await flagOf(f, number)).toMatchObject({ status: 'open', severity: 'medium', sequence: 2 });
    expect((await historyOf(f, number)).map((h) => [h.change, h.actor, h.event_id])).toEqual([
      ['opened', 'seed', null],
      ['escalated', 'scheduler', `flag:${number}:2`],
    ]);
    expect(await outboxEvents(f, number)).toEqual([
      expect.objectContaining({ eventId: `flag:${number}:2`, type: 'escalated', severity: 'medium' }),
    ]);
    // The medium SLA starts at the escalation: the next escalation is 24 hours later.
    await scheduler.run(SlaEscalationJob, at(72 * HOUR + MINUTE + 24 * HOUR - 2 * MINUTE));
    expect(await flagOf(f, number)).toMatchObject({ severity: 'medium', sequence: 2 });
    await scheduler.run(SlaEscalationJob, at(72 * HOUR + MINUTE + 24 * HOUR + MINUTE));
    expect(await flagOf(f, number)).toMatchObject({ severity: 'high', sequence: 3 });
  });

  it('marks an unclaimed high flag overdue at its SLA, once, and publishes it', async () => {
    const number = '+84987000302';
    await seedFlag(f.db, { number, severity: 'high', openedAt: T });
    await scheduler.run(SlaEscalationJob, at(2 * HOUR - MINUTE));
    expect(await flagOf(f, number)).toMatchObject({ severity: 'high', sequence: 1, overdue_since: null });
    await scheduler.run(SlaEscalationJob, at(2 * HOUR + MINUTE));
    const flag = await flagOf(f, number);
    expect(flag).toMatchObject({ status: 'open', severity: 'high', sequence: 2 });
    expect(flag.overdue_since?.toISOString()).toBe(at(2 * HOUR + MINUTE).toISOString());
    await scheduler.run(SlaEscalationJob, at(5 * HOUR));
    expect((await historyOf(f, number)).map((h) => h.change)).toEqual(['opened', 'overdue']);
    expect((await outboxEvents(f, number)).map((e) => e.type)).toEqual(['overdue']);

    const supervisor = (await createToken(f.db.url, 'sup', 'supervisor')).secret;
    const overdue = await api.get('/api/v1/flags?overdue=true', supervisor);
    expect(overdue.status).toBe(200);
    expect(overdue.body.items).toEqual([
      expect.objectContaining({ reportedNumber: number, overdueSince: at(2 * HOUR + MINUTE).toISOString() }),
    ]);
  });

  it('marks a flag claimed and undecided overdue at its review SLA, once, keeping its reviewer', async () => {
    const number = '+84987000303';
    // Claimed an hour after it opened: the review SLA (4 hours for high) runs from the claim.
    await seedFlag(f.db, {
      number,
      status: 'in_review',
      severity: 'high',
      openedAt: T,
      slaStartedAt: at(HOUR),
      sequence: 2,
    });
    await f.db.query(`UPDATE flags SET assignee = 'analyst-a' WHERE reported_number = $1`, [number]);
    await scheduler.run(SlaEscalationJob, at(5 * HOUR - MINUTE));
    expect(await flagOf(f, number)).toMatchObject({ status: 'in_review', sequence: 2, overdue_since: null });

    await scheduler.run(SlaEscalationJob, at(5 * HOUR + MINUTE));
    const flag = await flagOf(f, number);
    expect(flag).toMatchObject({ status: 'in_review', severity: 'high', assignee: 'analyst-a', sequence: 3 });
    expect(flag.overdue_since?.toISOString()).toBe(at(5 * HOUR + MINUTE).toISOString());
    await scheduler.run(SlaEscalationJob, at(30 * DAY));
    expect((await historyOf(f, number)).map((h) => [h.change, h.actor])).toEqual([
      ['opened', 'seed'],
      ['claimed', 'seed'],
      ['overdue', 'scheduler'],
    ]);
    expect(await outboxEvents(f, number)).toEqual([
      expect.objectContaining({ type: 'overdue', status: 'in_review', severity: 'high' }),
    ]);

    // Supervisors find it among the overdue flags, and handing it to someone else clears the mark.
    const supervisor = (await createToken(f.db.url, 'sup-review', 'supervisor')).secret;
    await createToken(f.db.url, 'analyst-b', 'analyst');
    const listed = await api.get('/api/v1/flags?overdue=true&status=in_review', supervisor);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        reportedNumber: number,
        assignee: 'analyst-a',
        overdueSince: expect.any(String),
      }),
    ]);
    const reassigned = await api.post(
      `/api/v1/flags/${listed.body.items[0].id}/assign`,
      supervisor,
      { assignee: 'analyst-b', note: 'analyst-a is away' },
      { 'if-match': '"3"' },
    );
    expect(reassigned.status).toBe(200);
    expect(reassigned.body).toMatchObject({ assignee: 'analyst-b', overdueSince: null, version: 4 });
    expect(Date.parse(reassigned.body.slaStartedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('reopens a warned number reported by enough new reporters, one minute after the last of them', async () => {
    const number = '+84987000304';
    const actionAt = at(HOUR);
    await seedReports(f.db, [
      { reportedNumber: number, reporter: '+84911000001', receivedAt: at(0) },
      { reportedNumber: number, reporter: '+84911000002', receivedAt: at(MINUTE) },
      // An old reporter again after the action is not a new reporter.
      { reportedNumber: number, reporter: '+84911000001', receivedAt: at(2 * HOUR) },
      { reportedNumber: number, reporter: '+84911000003', receivedAt: at(3 * HOUR) },
      { reportedNumber: number, reporter: '+84911000004', receivedAt: at(5 * HOUR) },
    ]);
    await seedFlag(f.db, {
      number,
      status: 'actioned',
      takenAction: 'warn',
      openedAt: T,
      countsReportsAfter: actionAt,
    });

    await scheduler.run(RepeatOffendersJob, at(5 * HOUR - MINUTE));
    expect(await flagOf(f, number)).toMatchObject({ status: 'actioned', sequence: 2 });

    await scheduler.run(RepeatOffendersJob, at(5 * HOUR + MINUTE));
    expect(await flagOf(f, number)).toMatchObject({
      status: 'open',
      sequence: 3,
      recommended_action: 'block_outgoing',
    });
    expect((await historyOf(f, number)).at(-1)).toMatchObject({ change: 'reopened', actor: 'scheduler' });
    expect(await outboxEvents(f, number)).toEqual([
      expect.objectContaining({
        eventId: `flag:${number}:3`,
        type: 'reopened',
        recommendedAction: 'block_outgoing',
      }),
    ]);
  });

  it('does not count new reporters who came after the repeat-offence period', async () => {
    const number = '+84987000305';
    await seedReports(f.db, [
      { reportedNumber: number, reporter: '+84911000011', receivedAt: at(2 * HOUR) },
      { reportedNumber: number, reporter: '+84911000012', receivedAt: at(30 * DAY + HOUR + MINUTE) },
    ]);
    await seedFlag(f.db, {
      number,
      status: 'actioned',
      takenAction: 'block_outgoing',
      openedAt: T,
      countsReportsAfter: at(HOUR),
    });
    await scheduler.run(RepeatOffendersJob, at(30 * DAY + 2 * HOUR));
    expect(await flagOf(f, number)).toMatchObject({ status: 'actioned', sequence: 2 });
  });

  it('expires a quiet low flag one minute after the quiet period, and compacts long-quiet counters', async () => {
    const number = '+84987000306';
    const lastReport = at(HOUR);
    await seedCounters(f.db, number, lastReport);
    await seedFlag(f.db, { number, severity: 'low', openedAt: T });
    const medium = '+84987000307';
    await seedCounters(f.db, medium, lastReport);
    await seedFlag(f.db, { number: medium, severity: 'medium', openedAt: T, slaStartedAt: at(60 * DAY) });

    await scheduler.run(ExpiryJob, at(HOUR + 7 * DAY - MINUTE));
    expect(await flagOf(f, number)).toMatchObject({ status: 'open', sequence: 1 });

    await scheduler.run(ExpiryJob, at(HOUR + 7 * DAY + MINUTE));
    expect(await flagOf(f, number)).toMatchObject({ status: 'expired', sequence: 2 });
    expect((await historyOf(f, number)).at(-1)).toMatchObject({
      change: 'expired',
      event_id: `flag:${number}:2`,
    });
    expect((await outboxEvents(f, number)).map((e) => e.type)).toEqual(['expired']);
    // Only low flags expire.
    expect(await flagOf(f, medium)).toMatchObject({ status: 'open', severity: 'medium' });

    const counters = () =>
      f.db.query<{ reports_30d: number; distinct_reporters_24h: number; total_reports: string }>(
        'SELECT reports_30d, distinct_reporters_24h, total_reports FROM subscriber_counters WHERE reported_number = $1',
        [number],
      );
    expect(await counters()).toEqual([{ reports_30d: 3, distinct_reporters_24h: 3, total_reports: '3' }]);
    await scheduler.run(ExpiryJob, at(HOUR + 30 * DAY + MINUTE));
    expect(await counters()).toEqual([{ reports_30d: 0, distinct_reporters_24h: 0, total_reports: '3' }]);
  });

  it('marks a low flag capped by one agent overdue at its SLA instead of escalating it', async () => {
    const number = '+84987000309';
    // Later than any tick of the tests before: a job runs once per tick, in time order.
    const opened = at(100 * DAY);
    await seedFlag(f.db, { number, severity: 'low', openedAt: opened });
    const cap = { severity: 'low', reason: 'single_agent', agentId: 'agent-17', explanation: 'capped' };
    await f.db.query(
      `UPDATE flags SET evidence = jsonb_build_object('cap', $2::jsonb) WHERE reported_number = $1`,
      [number, JSON.stringify(cap)],
    );
    await scheduler.run(SlaEscalationJob, at(100 * DAY + 72 * HOUR + MINUTE));
    const flag = await flagOf(f, number);
    expect(flag).toMatchObject({ status: 'open', severity: 'low', sequence: 2 });
    expect(flag.overdue_since?.toISOString()).toBe(at(100 * DAY + 72 * HOUR + MINUTE).toISOString());
    await scheduler.run(SlaEscalationJob, at(130 * DAY));
    expect((await historyOf(f, number)).map((h) => h.change)).toEqual(['opened', 'overdue']);
    expect(await outboxEvents(f, number)).toEqual([
      expect.objectContaining({ type: 'overdue', severity: 'low' }),
    ]);
  });

  it('publishes the events the jobs wrote', async () => {
    const published = await readTopic(f.kafka, f.topics.subscriberFlags, (received) =>
      ['+84987000301:2', '+84987000302:2', '+84987000304:3', '+84987000306:2'].every((id) =>
        received.some((m) => m.value?.includes(`"eventId":"flag:${id}"`)),
      ),
    );
    const types = published.map((m) => JSON.parse(m.value ?? '{}') as { eventId: string; type: string });
    expect(types).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventId: 'flag:+84987000301:2', type: 'escalated' }),
        expect.objectContaining({ eventId: 'flag:+84987000302:2', type: 'overdue' }),
        expect.objectContaining({ eventId: 'flag:+84987000304:3', type: 'reopened' }),
        expect.objectContaining({ eventId: 'flag:+84987000306:2', type: 'expired' }),
      ]),
    );
  });
});

describe('a job that fails midway', () => {
  const harness = new Harness();
  afterAll(() => harness.dropDatabases());

  it('leaves every flag either fully changed or untouched, records the failure, and finishes at the next tick', async () => {
    const f = await harness.fixture('jobfail');
    const scheduler = await SchedulerUnderTest.start(f, { JOB_BATCH_SIZE: '1', SLA_LOW: '72h' });
    try {
      const numbers = ['+84987000401', '+84987000402', '+84987000403'];
      for (const number of numbers) await seedFlag(f.db, { number, severity: 'low', openedAt: T });
      // The database refuses the second flag's history row, as a lost connection or a full disk would.
      await f.db.query(`
        CREATE FUNCTION refuse_second() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.reported_number = '+84987000402' THEN RAISE EXCEPTION 'disk full (simulated)'; END IF;
          RETURN NEW;
        END $$`);
      await f.db.query(
        `CREATE TRIGGER refuse_second BEFORE INSERT ON flag_history FOR EACH ROW EXECUTE FUNCTION refuse_second()`,
      );
      const failed = await scheduler.run(SlaEscalationJob, at(80 * HOUR));
      expect(failed).toEqual({ outcome: 'failed', items: 1, error: expect.stringContaining('disk full') });
      expect((await flagOf(f, numbers[0])).severity).toBe('medium');
      expect(await flagOf(f, numbers[1])).toMatchObject({ severity: 'low', sequence: 1 });
      expect(await flagOf(f, numbers[2])).toMatchObject({ severity: 'low', sequence: 1 });
      expect((await historyOf(f, numbers[1])).map((h) => h.change)).toEqual(['opened']);
      expect(await outboxEvents(f, numbers[1])).toEqual([]);
      expect(await outboxEvents(f, numbers[0])).toHaveLength(1);
      const [run] = await f.db.query<{ outcome: string; items_processed: number; error: string }>(
        `SELECT outcome, items_processed, error FROM job_runs WHERE job = 'sla-escalation'`,
      );
      expect(run).toMatchObject({ outcome: 'failed', items_processed: 1 });
      expect(run.error).toContain('disk full');

      await f.db.query(`DROP TRIGGER refuse_second ON flag_history`);
      expect(await scheduler.run(SlaEscalationJob, at(81 * HOUR))).toEqual({
        outcome: 'succeeded',
        items: 2,
      });
      for (const number of numbers) {
        expect(await flagOf(f, number)).toMatchObject({ severity: 'medium', sequence: 2 });
        expect((await historyOf(f, number)).map((h) => h.change)).toEqual(['opened', 'escalated']);
        expect(await outboxEvents(f, number)).toHaveLength(1);
      }
    } finally {
      await scheduler.close();
    }
  });
});

describe('two scheduler replicas side by side', () => {
  const harness = new Harness();
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('run each job once per tick between them', async () => {
    const f = await harness.fixture('replicas');
    const number = '+84987000501';
    // Due since long ago: the first tick escalates it, and the medium SLA keeps it there.
    await seedFlag(f.db, { number, severity: 'low', openedAt: new Date(Date.now() - 10 * DAY) });
    const env = {
      ...f.env,
      SLA_ESCALATION_CRON: '*/2 * * * * *',
      REPEAT_OFFENDERS_CRON: '*/2 * * * * *',
      EXPIRY_CRON: '*/2 * * * * *',
      RETENTION_CRON: '*/2 * * * * *',
      DAILY_SUMMARY_CRON: '*/2 * * * * *',
      // Not one of the five under test: by default it runs at second 45 of every minute, which a
      // slow run reaches (a sixth job in job_runs).
      CAMPAIGNS_CRON: '0 0 0 1 1 *',
    };
    const replicas = [harness.start('scheduler', env), harness.start('scheduler', env)];
    await Promise.all(replicas.map((r) => r.waitForLog(/daily-summary: '\*\/2/)));
    const runs = await eventually(
      () =>
        f.db.query<{ job: string; ticks: string }>(
          `SELECT job, count(*) AS ticks FROM job_runs GROUP BY job`,
        ),
      (rows) => rows.length === 5 && rows.every((r) => Number(r.ticks) >= 4),
      30_000,
    );
    await Promise.all(replicas.map((r) => r.stop('SIGTERM')));
    expect(runs).toHaveLength(5);

    const perTick = await f.db.query<{ job: string; tick_at: Date; runs: string; outcomes: string[] }>(
      `SELECT job, tick_at, count(*) AS runs, array_agg(outcome) AS outcomes FROM job_runs GROUP BY job, tick_at`,
    );
    expect(perTick.filter((t) => Number(t.runs) !== 1)).toEqual([]);
    expect(perTick.every((t) => t.outcomes[0] === 'succeeded')).toBe(true);
    // Ticks two seconds apart, named by their schedule, not by when a timer fired.
    expect(
      perTick.every((t) => t.tick_at.getUTCMilliseconds() === 0 && t.tick_at.getUTCSeconds() % 2 === 0),
    ).toBe(true);
    // Both replicas took part: each ran some ticks or skipped some.
    const logs = replicas.map((r) => r.logs);
    expect(logs.every((l) => /already ran|another replica is running it|items in/.test(l))).toBe(true);
    expect((await historyOf(f, number)).map((h) => h.change)).toEqual(['opened', 'escalated']);
  });
});
