import type { AllowlistRow, NewAllowlistEntry } from '@abuse-monitor/persistence';
import { AllowlistRepository, AuditLogRepository } from '@abuse-monitor/persistence';
import { fake, fakeTransactions, testActor } from '@abuse-monitor/persistence/testing';
import { ApiProblem } from '../http/problem';
import { AllowlistService } from './allowlist.service';

const actor = testActor('hoa.supervisor', 'supervisor');
const AT = new Date('2026-12-02T09:00:00Z');

const byPatternThenKind = (a: { pattern: string; kind: string }, b: { pattern: string; kind: string }) =>
  a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;

/** An allowlist table and an audit log in memory. */
function world() {
  const rows = new Map<string, AllowlistRow>();
  const audited: { action: string; before: unknown; after: unknown }[] = [];
  let nextId = 1;
  const entries = fake<AllowlistRepository>({
    page: async (after, limit) =>
      [...rows.values()]
        .sort(byPatternThenKind)
        .filter((r) => after === null || byPatternThenKind(r, after) > 0)
        .slice(0, limit),
    insert: async (_manager, entry: NewAllowlistEntry) => {
      if ([...rows.values()].some((r) => r.kind === entry.kind && r.pattern === entry.pattern)) return null;
      const row: AllowlistRow = {
        id: String(nextId++),
        version: 1,
        kind: entry.kind,
        pattern: entry.pattern,
        reason: entry.reason,
        owner: entry.owner,
        expires_at: entry.expiresAt,
        created_at: AT,
        created_by: entry.by,
        updated_at: AT,
        updated_by: entry.by,
      };
      rows.set(row.id, row);
      return row;
    },
    lock: async (_manager, id) => rows.get(id) ?? null,
    update: async (_manager, id, change) => {
      const row = { ...rows.get(id)!, ...change, updated_by: change.by, version: rows.get(id)!.version + 1 };
      rows.set(id, row);
      return row;
    },
    remove: async (_manager, id) => void rows.delete(id),
  });
  const audit = fake<AuditLogRepository>({
    append: async (_actor, record) => void audited.push(record),
  });
  return { service: new AllowlistService(fakeTransactions(), entries, audit), rows, audited };
}

const kindOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof ApiProblem ? error.kind : error),
  );

describe('AllowlistService (fake repositories)', () => {
  it('pages the entries by pattern, with a cursor to the next page and none after the last', async () => {
    const w = world();
    const entry = { reason: 'bank hotline', owner: 'fraud team' };
    for (const pattern of ['+84912345673', '+84912345671', '+84912345672'])
      await w.service.create({ kind: 'number', pattern, ...entry }, actor);
    await w.service.create({ kind: 'prefix', pattern: '+8491234567', ...entry }, actor);

    const first = await w.service.page(null, 2);
    expect(first.items.map((e) => e.pattern)).toEqual(['+8491234567', '+84912345671']);
    const cursor = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8'));
    expect(cursor).toEqual({ pattern: '+84912345671', kind: 'number' });
    const second = await w.service.page(cursor, 2);
    expect(second.items.map((e) => e.pattern)).toEqual(['+84912345672', '+84912345673']);
    expect(second.nextCursor).toBeNull();
    expect((await w.service.page(null, 50)).nextCursor).toBeNull();
  });

  it('stores a number in E.164 whatever notation it came in, and audits the creation', async () => {
    const w = world();
    const created = await w.service.create(
      { kind: 'number', pattern: '0912 345 678', reason: 'bank hotline', owner: 'fraud team' },
      actor,
    );
    expect(created).toMatchObject({
      id: 1,
      version: 1,
      pattern: '+84912345678',
      createdBy: 'hoa.supervisor',
    });
    expect(w.audited).toEqual([
      { action: 'allowlist.create', targetType: 'allowlist', targetId: '1', before: null, after: created },
    ]);
  });

  it('refuses a pattern that is not a number or a narrow prefix, and a duplicate', async () => {
    const w = world();
    const entry = { reason: 'x', owner: 'y' };
    expect(await kindOf(w.service.create({ kind: 'number', pattern: '12345', ...entry }, actor))).toBe(
      'invalid-request',
    );
    expect(await kindOf(w.service.create({ kind: 'prefix', pattern: '+84', ...entry }, actor))).toBe(
      'invalid-request',
    );
    await w.service.create({ kind: 'prefix', pattern: '01800', ...entry }, actor);
    expect(await kindOf(w.service.create({ kind: 'prefix', pattern: '+841800', ...entry }, actor))).toBe(
      'already-exists',
    );
    expect(w.audited).toHaveLength(1);
  });

  it('changes and removes an entry only at the version the person read', async () => {
    const w = world();
    await w.service.create({ kind: 'number', pattern: '+84912345678', reason: 'old', owner: 'care' }, actor);
    expect(await kindOf(w.service.update('1', 2, { reason: 'new' }, actor))).toBe('version-conflict');
    expect(await kindOf(w.service.update('9', 1, { reason: 'new' }, actor))).toBe('not-found');
    const updated = await w.service.update('1', 1, { reason: 'new' }, actor);
    expect(updated).toMatchObject({ version: 2, reason: 'new', owner: 'care' });
    expect(await kindOf(w.service.remove('1', 1, actor))).toBe('version-conflict');
    const removed = await w.service.remove('1', 2, actor);
    expect(removed.reason).toBe('new');
    expect(w.rows.size).toBe(0);
    expect(w.audited.map((a) => a.action)).toEqual([
      'allowlist.create',
      'allowlist.update',
      'allowlist.delete',
    ]);
  });
});
