import type { AllowlistEntry, FlagTransition } from '@abuse-monitor/domain';
import type { TopicNames } from '@abuse-monitor/messaging';
import type { Metrics } from '@abuse-monitor/observability';
import {
  AllowlistRepository,
  AuditLogRepository,
  FlagDecisionsRepository,
  FlagRow,
  FlagsRepository,
  NewAllowlistEntry,
  OutboxRelayService,
  ProtectedOriginatorRow,
  ProtectedOriginatorsRepository,
} from '@abuse-monitor/persistence';
import { fake, fakeTransactions, testActor } from '@abuse-monitor/persistence/testing';
import { ApiProblem } from '../http/problem';
import { FlagCaller, FlagCommandsService } from './flag-commands.service';

const NUMBER = '+84912345678';
const OPENED = new Date('2026-12-01T08:00:00Z');

const flagRow = (change: Partial<FlagRow> = {}): FlagRow => ({
  id: '7',
  reported_number: NUMBER,
  kind: 'abuse',
  status: 'open',
  severity: 'high',
  rule_id: 'sms-burst',
  rule_version: 1,
  recommended_action: 'block_outgoing',
  taken_action: null,
  opened_at: OPENED,
  last_change_at: OPENED,
  counts_reports_after: null,
  assignee: null,
  possibly_coordinated: false,
  coordination_share: null,
  sequence: 3,
  evidence: null,
  sla_started_at: OPENED,
  overdue_since: null,
  ...change,
});

const actor = testActor;
const analyst: FlagCaller = { actor: actor('lan.analyst', 'analyst'), mayOverride: false };

/** A flags table of one row, an allowlist and an audit log in memory. */
function world(row: FlagRow | null, allowlisted: AllowlistEntry[] = [], protectedNumbers: string[] = []) {
  const saved: FlagTransition[] = [];
  const audited: { action: string; targetId: string; after: unknown }[] = [];
  const watchDates: (Date | null)[] = [];
  const inserted: NewAllowlistEntry[] = [];
  let wakes = 0;
  const flags = fake<FlagsRepository>({
    lockById: async (_manager, id) => (row && row.id === id ? row : null),
    saveTransitions: async (_manager, transitions) => void saved.push(...transitions),
    enteredQueueBefore: async () => OPENED,
  });
  const allowlist = fake<AllowlistRepository>({
    entries: async () => allowlisted,
    insert: async (_manager, entry) => {
      if (allowlisted.some((e) => e.pattern === entry.pattern)) return null;
      inserted.push(entry);
      return {
        id: '41',
        version: 1,
        created_at: OPENED,
        created_by: entry.by,
        ...entry,
        expires_at: entry.expiresAt,
      } as never;
    },
    // An entry found in place ends on the last day of 2026.
    find: async (_manager, kind, pattern) =>
      allowlisted.some((e) => e.kind === kind && e.pattern === pattern)
        ? ({ expires_at: new Date('2026-12-31T00:00:00.000Z') } as never)
        : null,
  });
  const audit = fake<AuditLogRepository>({
    append: async (_actor, record) =>
      void audited.push({ action: record.action, targetId: record.targetId, after: record.after }),
    latestActorOf: async () => null,
  });
  const relay = fake<OutboxRelayService>({ wake: () => void wakes++ });
  const metric = { inc: () => undefined, observe: () => undefined, startTimer: () => () => 0 };
  const metrics = fake<Metrics>({ get: (() => metric) as unknown as Metrics['get'] });
  const topics = { subscriberFlags: 'test.subscriber.flags' } as TopicNames;
  const service = new FlagCommandsService(
    fakeTransactions(),
    flags,
    allowlist,
    audit,
    relay,
    metrics,
    topics,
    fake<FlagDecisionsRepository>({
      setWatchUntil: async (_manager, _id, until) => void watchDates.push(until),
    }),
    fake<ProtectedOriginatorsRepository>({
      find: async (number) =>
        protectedNumbers.includes(number)
          ? ({ id: '5', number, name: 'Vietcombank hotline', kind: 'bank' } as ProtectedOriginatorRow)
          : null,
    }),
  );
  return { service, saved, audited, inserted, watchDates, wakes: () => wakes };
}

const problemOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof ApiProblem ? error.kind : error),
  );

describe('FlagCommandsService (fake repositories)', () => {
  it('acts on a flag: stores the transition with its event, audits it and wakes the relay', async () => {
    const w = world(flagRow());
    await w.service.act('7', 3, 'warn', 'called the subscriber', null, analyst);
    expect(w.saved).toHaveLength(1);
    expect(w.saved[0].state).toMatchObject({ status: 'actioned', takenAction: 'warn', sequence: 4 });
    expect(w.saved[0].event).not.toBeNull();
    expect(w.audited.map(({ action, targetId }) => ({ action, targetId }))).toEqual([
      { action: 'flag.warn', targetId: '7' },
    ]);
    expect(w.wakes()).toBe(1);
  });

  it('refuses a stale version and an unknown flag without storing anything', async () => {
    const w = world(flagRow());
    expect(await problemOf(w.service.act('7', 2, 'warn', 'late', null, analyst))).toBe('version-conflict');
    expect(await problemOf(w.service.act('8', 3, 'warn', 'wrong id', null, analyst))).toBe('not-found');
    expect(w.saved).toHaveLength(0);
    expect(w.audited).toHaveLength(0);
    expect(w.wakes()).toBe(0);
  });

  it('leaves a flag someone else is reviewing to them', async () => {
    const w = world(flagRow({ status: 'in_review', assignee: 'minh.analyst' }));
    expect(await problemOf(w.service.act('7', 3, 'warn', 'mine now', null, analyst))).toBe('forbidden');
    expect(w.saved).toHaveLength(0);
  });

  it('refuses to act against an allowlisted number', async () => {
    const entry: AllowlistEntry = {
      kind: 'number',
      pattern: NUMBER,
      reason: 'bank hotline',
      owner: 'fraud team',
    };
    const w = world(flagRow(), [entry]);
    expect(await problemOf(w.service.act('7', 3, 'suspend', 'no', null, analyst))).toBe('allowlisted');
    expect(w.saved).toHaveLength(0);
  });

  it('refuses every action against a spoofing flag but a referral to the police, and lets it be dismissed', async () => {
    const w = world(flagRow({ kind: 'spoofing', recommended_action: 'investigate_origin' }));
    for (const action of ['warn', 'block_outgoing', 'block_both', 'suspend'] as const)
      expect(await problemOf(w.service.act('7', 3, action, 'no', null, analyst))).toBe('probable-spoofing');
    expect(w.saved).toHaveLength(0);
    await w.service.act('7', 3, 'refer_police', 'spoofed bank hotline', null, analyst);
    expect(w.saved.map((t) => t.state.takenAction)).toEqual(['refer_police']);
    const again = world(flagRow({ kind: 'spoofing', recommended_action: 'investigate_origin' }));
    await again.service.act('7', 3, 'dismiss', 'traced to a gateway, closed', null, analyst);
    expect(again.saved[0].state.status).toBe('dismissed');
  });

  it('refuses to block a number that became a protected originator after its abuse flag was opened', async () => {
    const w = world(flagRow(), [], [NUMBER]);
    const refused = w.service.act('7', 3, 'block_outgoing', 'no', null, analyst);
    await expect(refused).rejects.toMatchObject({
      kind: 'probable-spoofing',
      detail: expect.stringContaining('Vietcombank hotline'),
    });
    expect(w.saved).toHaveLength(0);
    expect(
      await problemOf(world(flagRow()).service.act('7', 3, 'block_outgoing', 'ok', null, analyst)),
    ).toBeNull();
  });

  it('allowlists the number on a dismissal, once, and audits both decisions', async () => {
    const w = world(flagRow());
    await w.service.act(
      '7',
      3,
      'dismiss',
      'a clinic',
      { reason: 'clinic reminders', owner: 'care team' },
      analyst,
    );
    expect(w.inserted).toEqual([
      {
        kind: 'number',
        pattern: NUMBER,
        reason: 'clinic reminders',
        owner: 'care team',
        expiresAt: null,
        by: 'lan.analyst',
      },
    ]);
    expect(w.audited.map((a) => a.action)).toEqual(['flag.dismiss', 'allowlist.create']);
    expect(w.saved[0].state.status).toBe('dismissed');
  });

  it('does not audit an allowlist entry that already existed', async () => {
    const entry: AllowlistEntry = { kind: 'number', pattern: NUMBER, reason: 'known', owner: 'care team' };
    const w = world(flagRow(), [entry]);
    await w.service.act('7', 3, 'dismiss', 'known', { reason: 'again', owner: 'care team' }, analyst);
    expect(w.audited.map((a) => a.action)).toEqual(['flag.dismiss']);
  });

  it('answers what a decision did: the states, the event, and the reason code in the history and audit', async () => {
    const w = world(flagRow());
    const details = { reasonCode: 'confirmed_scam', note: null, allowlist: null, watchUntil: null };
    const outcome = await w.service.decide('7', 3, 'block_outgoing', details, analyst);
    expect(outcome.before).toMatchObject({ status: 'open', sequence: 3 });
    expect(outcome.after).toMatchObject({ status: 'actioned', takenAction: 'block_outgoing', sequence: 4 });
    expect(outcome.event).toEqual({
      eventId: `flag:${NUMBER}:4`,
      type: 'actioned',
      topic: 'test.subscriber.flags',
    });
    expect(outcome.allowlisted).toBeNull();
    expect(w.saved[0].historyEntry).toMatchObject({ reasonCode: 'confirmed_scam', note: null });
    expect(w.audited[0].after).toMatchObject({ status: 'actioned', reasonCode: 'confirmed_scam' });
    // A decision that is not a watch clears any stale watch date.
    expect(w.watchDates).toEqual([null]);
  });

  it('watches a flag that recommends watching until the given date, with no event for provisioning', async () => {
    const w = world(flagRow({ severity: 'low', recommended_action: 'watch' }));
    const until = Date.now() + 3 * 86_400_000;
    const outcome = await w.service.decide(
      '7',
      3,
      'watch',
      { reasonCode: 'too_few_reports', note: 'one caller only', allowlist: null, watchUntil: until },
      analyst,
    );
    expect(outcome.after).toMatchObject({ status: 'watched', assignee: null });
    expect(outcome.event).toBeNull();
    expect(outcome.watchUntil).toBe(until);
    expect(w.watchDates).toEqual([new Date(until)]);
    expect(w.wakes()).toBe(0);
  });

  it('refuses to watch a flag whose rules recommend an action, storing nothing', async () => {
    const w = world(flagRow());
    const details = { reasonCode: 'too_few_reports', note: null, allowlist: null, watchUntil: null };
    expect(await problemOf(w.service.decide('7', 3, 'watch', details, analyst))).toBe('state-conflict');
    // The date written before the refusal goes with the transaction the refusal rolls back.
    expect(w.saved).toHaveLength(0);
    expect(w.audited).toHaveLength(0);
  });

  it('says whether a dismissal made the allowlist entry or found it there', async () => {
    const w = world(flagRow());
    const details = {
      reasonCode: 'legitimate_business',
      note: 'a clinic',
      allowlist: { reason: 'clinic reminders', owner: 'care team' },
      watchUntil: null,
    };
    expect((await w.service.decide('7', 3, 'dismiss', details, analyst)).allowlisted).toEqual({
      created: true,
      until: null,
    });
    const until = '2027-03-01T00:00:00.000Z';
    const forAWhile = { ...details, allowlist: { ...details.allowlist, until } };
    const w2 = world(flagRow());
    expect((await w2.service.decide('7', 3, 'dismiss', forAWhile, analyst)).allowlisted).toEqual({
      created: true,
      until,
    });
    expect(w2.inserted[0].expiresAt?.toISOString()).toBe(until);
    const known: AllowlistEntry = { kind: 'number', pattern: NUMBER, reason: 'known', owner: 'care team' };
    const again = world(flagRow(), [known]);
    expect((await again.service.decide('7', 3, 'dismiss', forAWhile, analyst)).allowlisted).toEqual({
      created: false,
      until: '2026-12-31T00:00:00.000Z',
    });
  });
});
