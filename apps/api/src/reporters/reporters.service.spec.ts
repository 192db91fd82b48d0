import type { ReporterRow } from '@abuse-monitor/persistence';
import { AuditLogRepository, ReportersRepository } from '@abuse-monitor/persistence';
import { fake, fakeTransactions, testActor } from '@abuse-monitor/persistence/testing';
import { ApiProblem } from '../http/problem';
import { ReportersService } from './reporters.service';

const actor = testActor('hoa.supervisor', 'supervisor');
const AT = new Date('2026-12-02T09:00:00Z');

const row = (reporter: string, standing: ReporterRow['standing']): ReporterRow => ({
  reporter,
  standing,
  suspicious_since: standing === 'suspicious' ? AT : null,
  cleared_at: null,
  cleared_by: null,
  first_seen_at: AT,
  last_seen_at: AT,
  total_reports: '12',
});

/** A reporters table and an audit log in memory. */
function world(rows: ReporterRow[]) {
  const table = new Map(rows.map((r) => [r.reporter, r]));
  const audited: { action: string; targetId: string; before: unknown; after: unknown }[] = [];
  const reporters = fake<ReportersRepository>({
    page: async (standing, after, limit) =>
      [...table.values()]
        .filter((r) => r.standing === standing && r.reporter > after)
        .sort((a, b) => (a.reporter < b.reporter ? -1 : 1))
        .slice(0, limit),
    lock: async (_manager, reporter) => table.get(reporter) ?? null,
    clear: async (_manager, reporter, by) => {
      const cleared = {
        ...table.get(reporter)!,
        standing: 'cleared' as const,
        cleared_at: AT,
        cleared_by: by,
      };
      table.set(reporter, cleared);
      return cleared;
    },
  });
  const audit = fake<AuditLogRepository>({
    append: async (_actor, record) => void audited.push(record),
  });
  return { service: new ReportersService(fakeTransactions(), reporters, audit), table, audited };
}

const kindOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof ApiProblem ? error.kind : error),
  );

describe('ReportersService (fake repositories)', () => {
  const suspicious = ['+84912000003', '+84912000001', '+84912000002'].map((r) => row(r, 'suspicious'));

  it('pages reporters of one standing in number order, with a cursor only when more follow', async () => {
    const w = world([...suspicious, row('+84912000000', 'normal')]);
    const first = await w.service.page('suspicious', '', 2);
    expect(first.items.map((r) => r.reporter)).toEqual(['+84912000001', '+84912000002']);
    expect(JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8'))).toEqual({
      reporter: '+84912000002',
    });
    const second = await w.service.page('suspicious', '+84912000002', 2);
    expect(second).toMatchObject({
      items: [{ reporter: '+84912000003', totalReports: 12 }],
      nextCursor: null,
    });
  });

  it('clears a suspicious reporter and audits before and after, with the note', async () => {
    const w = world(suspicious);
    const after = await w.service.clear('+84912000001', 'verified by phone', actor);
    expect(after).toMatchObject({ standing: 'cleared', clearedBy: 'hoa.supervisor' });
    expect(w.table.get('+84912000001')?.standing).toBe('cleared');
    expect(w.audited).toEqual([
      {
        action: 'reporter.clear',
        targetType: 'reporter',
        targetId: '+84912000001',
        before: expect.objectContaining({ standing: 'suspicious' }),
        after: { ...after, note: 'verified by phone' },
      },
    ]);
  });

  it('refuses an unknown reporter and one that is not suspicious, and audits nothing', async () => {
    const w = world([row('+84912000009', 'normal')]);
    expect(await kindOf(w.service.clear('+84912000008', 'n', actor))).toBe('not-found');
    expect(await kindOf(w.service.clear('+84912000009', 'n', actor))).toBe('state-conflict');
    expect(w.table.get('+84912000009')?.standing).toBe('normal');
    expect(w.audited).toEqual([]);
  });
});
