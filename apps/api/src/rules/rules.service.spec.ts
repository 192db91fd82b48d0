import type { RuleRow, RuleToWrite } from '@abuse-monitor/persistence';
import { AuditLogRepository, RulesRepository } from '@abuse-monitor/persistence';
import { fake, fakeTransactions, testActor } from '@abuse-monitor/persistence/testing';
import { ApiProblem } from '../http/problem';
import { RulesService } from './rules.service';

const actor = testActor('hoa.supervisor', 'supervisor');
const AT = new Date('2026-12-02T09:00:00Z');

const rowOf = (rule: RuleToWrite, version: number, by: string): RuleRow => ({
  id: rule.id,
  version,
  name: rule.name,
  window_seconds: rule.windowSeconds,
  measure: rule.measure,
  kind: rule.kind,
  category: rule.category,
  number_type: rule.numberType,
  threshold: rule.threshold,
  severity: rule.severity,
  action: rule.action,
  enabled: rule.enabled,
  updated_at: AT,
  updated_by: by,
});

/** A rules table whose ids are never reused, and an audit log, in memory. */
function world() {
  const rules = new Map<string, RuleRow>();
  const everUsed = new Set<string>();
  const audited: string[] = [];
  const repository = fake<RulesRepository>({
    idEverUsed: async (_manager, id) => everUsed.has(id),
    insert: async (_manager, rule, by) => {
      everUsed.add(rule.id);
      rules.set(rule.id, rowOf(rule, 1, by));
      return rules.get(rule.id)!;
    },
    lock: async (_manager, id) => rules.get(id) ?? null,
    update: async (_manager, rule, by) => {
      rules.set(rule.id, rowOf(rule, (rules.get(rule.id)!.version as number) + 1, by));
      return rules.get(rule.id)!;
    },
    remove: async (_manager, id) => void rules.delete(id),
  });
  const audit = fake<AuditLogRepository>({
    append: async (_actor, record) => void audited.push(record.action),
  });
  return { service: new RulesService(fakeTransactions(), repository, audit), rules, audited };
}

const kindOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof ApiProblem ? error.kind : error),
  );

const BURST = {
  id: 'sms-burst',
  name: 'SMS burst',
  windowSeconds: 3600,
  measure: 'reports' as const,
  threshold: 20,
  severity: 'high' as const,
  action: 'block_outgoing' as const,
};

describe('RulesService (fake repositories)', () => {
  it('creates a rule at version 1, enabled, and never reuses its id once deleted', async () => {
    const w = world();
    const created = await w.service.create(BURST, actor);
    expect(created).toMatchObject({ id: 'sms-burst', version: 1, enabled: true, kind: null });
    await w.service.remove('sms-burst', 1, actor);
    expect(await kindOf(w.service.create(BURST, actor))).toBe('already-exists');
    expect(w.audited).toEqual(['rule.create', 'rule.delete']);
  });

  it('refuses a rule the domain finds invalid, as a whole and after a change', async () => {
    const w = world();
    expect(await kindOf(w.service.create({ ...BURST, threshold: 0 }, actor))).toBe('invalid-request');
    await w.service.create(BURST, actor);
    expect(await kindOf(w.service.update('sms-burst', 1, { windowSeconds: 0 }, actor))).toBe(
      'invalid-request',
    );
    expect(w.audited).toEqual(['rule.create']);
  });

  it('changes a rule only at the version the person read', async () => {
    const w = world();
    await w.service.create(BURST, actor);
    expect(await kindOf(w.service.update('sms-burst', 2, { threshold: 30 }, actor))).toBe('version-conflict');
    expect(await kindOf(w.service.update('other', 1, { threshold: 30 }, actor))).toBe('not-found');
    const after = await w.service.update('sms-burst', 1, { threshold: 30 }, actor);
    expect(after).toMatchObject({ version: 2, threshold: 30, name: 'SMS burst' });
  });
});
