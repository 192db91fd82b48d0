import type { NewProtectedOriginator, ProtectedOriginatorRow } from '@abuse-monitor/persistence';
import { AuditLogRepository, ProtectedOriginatorsRepository } from '@abuse-monitor/persistence';
import { fake, fakeTransactions, testActor } from '@abuse-monitor/persistence/testing';
import { ApiProblem } from '../http/problem';
import { ProtectedOriginatorsService } from './protected-originators.service';

const actor = testActor('hoa.supervisor', 'supervisor');
const AT = new Date('2026-12-04T09:00:00Z');

/** A protected_originators table and an audit log in memory. */
function world() {
  const rows = new Map<string, ProtectedOriginatorRow>();
  const audited: { action: string; targetType: string; before: unknown; after: unknown }[] = [];
  let nextId = 1;
  const entries = fake<ProtectedOriginatorsRepository>({
    page: async (after, limit) =>
      [...rows.values()]
        .sort((a, b) => (a.number < b.number ? -1 : 1))
        .filter((r) => after === null || r.number > after)
        .slice(0, limit),
    insert: async (_manager, entry: NewProtectedOriginator) => {
      if ([...rows.values()].some((r) => r.number === entry.number)) return null;
      const row: ProtectedOriginatorRow = {
        id: String(nextId++),
        version: 1,
        number: entry.number,
        name: entry.name,
        kind: entry.kind,
        reason: entry.reason,
        created_at: AT,
        created_by: entry.by,
        updated_at: AT,
        updated_by: entry.by,
      };
      rows.set(row.id, row);
      return row;
    },
    lock: async (_manager, id) => rows.get(id) ?? null,
    remove: async (_manager, id) => void rows.delete(id),
  });
  const audit = fake<AuditLogRepository>({ append: async (_actor, record) => void audited.push(record) });
  return { service: new ProtectedOriginatorsService(fakeTransactions(), entries, audit), rows, audited };
}

const kindOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof ApiProblem ? error.kind : error),
  );

const bank = {
  name: 'Vietcombank hotline',
  kind: 'bank' as const,
  reason: 'caller ID spoofed in scam calls',
};

describe('ProtectedOriginatorsService (fake repositories)', () => {
  it('adds a number once, audited with who added it, and refuses it a second time', async () => {
    const w = world();
    const created = await w.service.create({ number: '+84912345678', ...bank }, actor);
    expect(created).toMatchObject({ id: 1, version: 1, number: '+84912345678', createdBy: 'hoa.supervisor' });
    expect(await kindOf(w.service.create({ number: '+84912345678', ...bank }, actor))).toBe('already-exists');
    expect(w.audited).toEqual([
      {
        action: 'protected_originator.create',
        targetType: 'protected_originator',
        targetId: '1',
        before: null,
        after: created,
      },
    ]);
  });

  it('pages by number with a cursor, and none after the last page', async () => {
    const w = world();
    for (const number of ['+84912345673', '+84912345671', '+84912345672'])
      await w.service.create({ number, ...bank }, actor);
    const first = await w.service.page(null, 2);
    expect(first.items.map((e) => e.number)).toEqual(['+84912345671', '+84912345672']);
    const cursor = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8'));
    expect(cursor).toEqual({ number: '+84912345672' });
    const second = await w.service.page(cursor.number, 2);
    expect(second.items.map((e) => e.number)).toEqual(['+84912345673']);
    expect(second.nextCursor).toBeNull();
  });

  it('removes an entry only at the version read, and audits what it removed', async () => {
    const w = world();
    await w.service.create({ number: '+84912345678', ...bank }, actor);
    expect(await kindOf(w.service.remove('1', 2, actor))).toBe('version-conflict');
    expect(await kindOf(w.service.remove('9', 1, actor))).toBe('not-found');
    const removed = await w.service.remove('1', 1, actor);
    expect(removed.name).toBe('Vietcombank hotline');
    expect(w.rows.size).toBe(0);
    expect(w.audited.map((a) => [a.action, a.after])).toEqual([
      ['protected_originator.create', expect.anything()],
      ['protected_originator.delete', null],
    ]);
  });
});
