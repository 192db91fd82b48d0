import type { FlagTransition } from '@abuse-monitor/domain';
import type { TopicNames } from '@abuse-monitor/messaging';
import type { Metrics } from '@abuse-monitor/observability';
import {
  AppealRow,
  AppealsRepository,
  AuditLogRepository,
  FlagRow,
  FlagsRepository,
  NewAppeal,
  OutboxRelayService,
} from '@abuse-monitor/persistence';
import { fake, fakeTransactions, testActor } from '@abuse-monitor/persistence/testing';
import type { FlagCommandsService } from '../flags/flag-commands.service';
import { ApiProblem } from '../http/problem';
import { AppealsService } from './appeals.service';

const NUMBER = '+84912345678';
const AT = new Date('2026-12-01T08:00:00Z');
const SLA = 48 * 3_600_000;

const flagRow = (change: Partial<FlagRow> = {}): FlagRow => ({
  id: '7',
  reported_number: NUMBER,
  kind: 'abuse',
  status: 'actioned',
  severity: 'high',
  rule_id: 'sms-burst',
  rule_version: 1,
  recommended_action: 'block_outgoing',
  taken_action: 'block_both',
  opened_at: AT,
  last_change_at: AT,
  counts_reports_after: AT,
  assignee: null,
  possibly_coordinated: false,
  coordination_share: null,
  sequence: 4,
  evidence: null,
  sla_started_at: AT,
  overdue_since: null,
  ...change,
});

/** A flag, its appeals, an audit log and the relay, in memory. */
function world(row: FlagRow, pendingAlready = false) {
  const saved: FlagTransition[] = [];
  const audited: string[] = [];
  const appeals: AppealRow[] = [];
  const counted: { name: string; labels: unknown }[] = [];
  let wakes = 0;
  const repository = fake<AppealsRepository>({
    insert: async (_manager, appeal: NewAppeal) => {
      if (pendingAlready) return null;
      const stored: AppealRow = {
        id: String(appeals.length + 1),
        flag_id: appeal.flagId,
        reported_number: appeal.reportedNumber,
        statement: appeal.statement,
        channel: appeal.channel,
        appealed_action: appeal.appealedAction,
        recorded_by: appeal.recordedBy,
        received_at: appeal.receivedAt,
        due_at: appeal.dueAt,
        status: 'pending',
        decided_by: null,
        decided_at: null,
        note: null,
        version: 1,
      };
      appeals.push(stored);
      return stored;
    },
    lockById: async (_manager, id) => appeals.find((a) => a.id === id) ?? null,
    decide: async (_manager, id, decision) => {
      const index = appeals.findIndex((a) => a.id === id);
      appeals[index] = {
        ...appeals[index],
        status: decision.status,
        decided_by: decision.decidedBy,
        decided_at: decision.decidedAt,
        note: decision.note,
        version: appeals[index].version + 1,
      };
      return appeals[index];
    },
  });
  const flags = fake<FlagsRepository>({
    lockById: async (_manager, id) => (row.id === id ? row : null),
    saveTransitions: async (_manager, transitions) => void saved.push(...transitions),
  });
  const audit = fake<AuditLogRepository>({
    append: async (_actor, record) => void audited.push(record.action),
  });
  const metrics = fake<Metrics>({
    get: ((name: string) => ({
      inc: (labels: unknown) => void counted.push({ name, labels }),
    })) as unknown as Metrics['get'],
  });
  const service = new AppealsService(
    fakeTransactions(),
    repository,
    flags,
    audit,
    fake<OutboxRelayService>({ wake: () => void wakes++ }),
    metrics,
    fake<FlagCommandsService>({}),
    { subscriberFlags: 'test.subscriber.flags' } as TopicNames,
    { APPEAL_SLA: SLA },
  );
  return { service, saved, audited, appeals, counted, wakes: () => wakes };
}

const agent = testActor('agent-1', 'agent');
const sup = testActor('sup', 'supervisor');

const problemOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof ApiProblem ? error.kind : error),
  );

describe('AppealsService (fake repositories)', () => {
  it('records an appeal due APPEAL_SLA later, with an appealed history row, no event, and its audit entry', async () => {
    const w = world(flagRow());
    const appeal = await w.service.record('7', { statement: 'mistake', channel: 'shop' }, agent);
    expect(appeal.due_at.getTime() - appeal.received_at.getTime()).toBe(SLA);
    expect(appeal).toMatchObject({ appealed_action: 'block_both', recorded_by: 'agent-1' });
    expect(w.saved.map((t) => [t.historyEntry.change, t.event])).toEqual([['appealed', null]]);
    expect(w.audited).toEqual(['appeal.record']);
    expect(w.counted).toContainEqual({ name: 'appealsReceived', labels: { channel: 'shop' } });
    expect(w.wakes()).toBe(0);
  });

  it('refuses a flag with no action in force, and a second pending appeal, storing nothing', async () => {
    const open = world(flagRow({ status: 'open', taken_action: null }));
    expect(await problemOf(open.service.record('7', { statement: 'x', channel: 'email' }, agent))).toBe(
      'flag-not-actioned',
    );
    const twice = world(flagRow(), true);
    expect(await problemOf(twice.service.record('7', { statement: 'x', channel: 'email' }, agent))).toBe(
      'appeal-pending',
    );
    expect([...open.saved, ...twice.saved, ...open.audited, ...twice.audited]).toEqual([]);
  });

  it('reverses: lifts the action with an event, audits the appeal and the flag, wakes the relay', async () => {
    const w = world(flagRow());
    const appeal = await w.service.record('7', { statement: 'mistake', channel: 'shop' }, agent);
    const outcome = await w.service.decide(appeal.id, 1, 'reverse', 'lifted', null, sup);
    expect(outcome.appeal).toMatchObject({ status: 'reversed', decided_by: 'sup', version: 2 });
    expect(outcome.flag).toMatchObject({ status: 'dismissed', takenAction: null });
    expect(outcome.event).toEqual({
      eventId: `flag:${NUMBER}:5`,
      type: 'lifted',
      topic: 'test.subscriber.flags',
    });
    expect(w.audited).toEqual(['appeal.record', 'appeal.reverse', 'flag.lift']);
    expect(w.counted).toContainEqual({
      name: 'appealsDecided',
      labels: { outcome: 'reversed', late: 'false' },
    });
    expect(w.wakes()).toBe(1);
  });

  it('refuses a stale version and a decided appeal', async () => {
    const w = world(flagRow());
    const appeal = await w.service.record('7', { statement: 'mistake', channel: 'shop' }, agent);
    expect(await problemOf(w.service.decide(appeal.id, 2, 'uphold', 'no', null, sup))).toBe(
      'version-conflict',
    );
    await w.service.decide(appeal.id, 1, 'uphold', 'the reports stand', null, sup);
    expect(await problemOf(w.service.decide(appeal.id, 2, 'reverse', 'changed my mind', null, sup))).toBe(
      'state-conflict',
    );
    expect(w.saved.map((t) => t.historyEntry.change)).toEqual(['appealed', 'appeal_upheld']);
  });
});
