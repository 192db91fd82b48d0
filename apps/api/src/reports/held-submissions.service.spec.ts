import type { AgentSubmission } from '@abuse-monitor/persistence';
import { AgentSubmissionsRepository, AuditLogRepository } from '@abuse-monitor/persistence';
import { fake, fakeTransactions, testActor } from '@abuse-monitor/persistence/testing';
import { ApiProblem } from '../http/problem';
import { HeldSubmissionsService } from './held-submissions.service';

const actor = testActor('hoa.supervisor', 'supervisor');
const AT = new Date('2026-12-02T09:00:00Z');

const held = (id: string, status: AgentSubmission['status'] = 'held'): AgentSubmission => ({
  id,
  submissionKey: `key-${id}`,
  agentId: 'agent-7',
  reportId: `report-${id}`,
  status,
  submission: { reporter: '+84912345678', reportedNumber: '+84987654321', kind: 'scam_call' },
  submittedAt: AT,
  decidedBy: status === 'held' || status === 'queued' ? null : 'lan.supervisor',
  decidedAt: null,
  note: null,
});

/** Agent submissions and an audit log in memory. */
function world(rows: AgentSubmission[]) {
  const table = new Map(rows.map((r) => [r.id, r]));
  const audited: { action: string; before: unknown; after: unknown }[] = [];
  const submissions = fake<AgentSubmissionsRepository>({
    held: async (afterId, limit) =>
      [...table.values()]
        .filter((s) => s.status === 'held' && (afterId === null || Number(s.id) > Number(afterId)))
        .sort((a, b) => Number(a.id) - Number(b.id))
        .slice(0, limit),
    lock: async (id) => table.get(id) ?? null,
    decide: async (id, status, decidedBy, note) => {
      const decided = { ...table.get(id)!, status, decidedBy, decidedAt: AT, note };
      table.set(id, decided);
      return decided;
    },
  });
  const audit = fake<AuditLogRepository>({
    append: async (_actor, record) => void audited.push(record),
  });
  return { service: new HeldSubmissionsService(fakeTransactions(), submissions, audit), table, audited };
}

const kindOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof ApiProblem ? error.kind : error),
  );

describe('HeldSubmissionsService (fake repositories)', () => {
  it('pages held submissions oldest first, masking the reporter unless asked not to', async () => {
    const w = world([held('3'), held('1'), held('2', 'queued'), held('4')]);
    const first = await w.service.page(null, 2, false);
    expect(first.items.map((s) => [s.id, s.reporter])).toEqual([
      [1, '091*****78'],
      [3, '091*****78'],
    ]);
    expect(first.nextCursor).toBe('3');
    const second = await w.service.page(first.nextCursor, 2, true);
    expect(second.items.map((s) => [s.id, s.reporter])).toEqual([[4, '+84912345678']]);
    expect(second.nextCursor).toBeNull();
  });

  it('runs the caller\'s step on the held submission, stores the decision and audits ids only', async () => {
    const w = world([held('5')]);
    const seen: string[] = [];
    const view = await w.service.decide(
      '5',
      { status: 'released', note: 'checked with the agent', actor },
      false,
      async (submission) => void seen.push(submission.status),
    );
    expect(seen).toEqual(['held']);
    expect(view).toMatchObject({ id: 5, status: 'released', decidedBy: 'hoa.supervisor' });
    expect(w.audited).toEqual([
      {
        action: 'submission.release',
        targetType: 'submission',
        targetId: '5',
        before: { status: 'held', agentId: 'agent-7', reportId: 'report-5' },
        after: { status: 'released', note: 'checked with the agent' },
      },
    ]);
  });

  it('refuses an unknown or never-held submission (404) and one already decided (409), deciding nothing', async () => {
    const w = world([held('6', 'queued'), held('7', 'refused')]);
    const step = jest.fn(async () => undefined);
    const decision = { status: 'released' as const, note: null, actor };
    expect(await kindOf(w.service.decide('5', decision, false, step))).toBe('not-found');
    expect(await kindOf(w.service.decide('6', decision, false, step))).toBe('not-found');
    expect(await kindOf(w.service.decide('7', decision, false, step))).toBe('state-conflict');
    expect(step).not.toHaveBeenCalled();
    expect(w.table.get('7')?.status).toBe('refused');
    expect(w.audited).toEqual([]);
  });
});
