import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { validateRule } from '@abuse-monitor/domain';
import {
  AuditActor,
  AuditLogRepository,
  RuleRow,
  RulesRepository,
  RuleToWrite,
  Transactions,
} from '@abuse-monitor/persistence';
import { ApiProblem, invalidRequest, notFound } from '../http/problem';
import { RuleDefinition, ruleDefinitionOf, RuleView, ruleViewOf } from './rule-views';

/** The domain's checks on the whole rule, after the schema's on each field. */
function checkRule(rule: Record<string, unknown>): void {
  const result = validateRule(rule);
  if (!result.ok)
    throw invalidRequest(result.fieldErrors.map((e) => ({ in: 'body', field: e.field, message: e.message })));
}

const toWrite = (rule: RuleDefinition): RuleToWrite => ({
  id: rule.id,
  name: rule.name,
  windowSeconds: rule.windowSeconds,
  measure: rule.measure,
  kind: rule.kind ?? null,
  category: rule.category ?? null,
  numberType: rule.numberType ?? null,
  threshold: rule.threshold,
  severity: rule.severity,
  action: rule.action,
  enabled: rule.enabled,
});

type NewRule = Omit<RuleDefinition, 'version' | 'enabled' | 'kind' | 'category' | 'numberType'> &
  Partial<Pick<RuleDefinition, 'enabled' | 'kind' | 'category' | 'numberType'>>;

/**
 * Changes to the flagging rules: each one transaction with its audit entry, checked by the domain
 * as a whole; an update or deletion is refused when the rule changed since the person read it.
 */
@Injectable()
export class RulesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly rules: RulesRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  async list(): Promise<RuleView[]> {
    return (await this.rules.list()).map(ruleViewOf);
  }

  async get(id: string) {
    const row = await this.rules.byId(id);
    if (row === null) throw notFound(`rule ${id}`);
    const versions = await this.rules.versions(id);
    return {
      ...ruleViewOf(row),
      versions: versions.map((v) => ({
        ...ruleDefinitionOf(v.definition),
        createdAt: v.created_at.toISOString(),
        createdBy: v.created_by,
      })),
    };
  }

  async create(body: NewRule, actor: AuditActor): Promise<RuleView> {
    const rule = { version: 1, enabled: true, kind: null, category: null, numberType: null, ...body };
    checkRule(rule);
    const taken = () =>
      new ApiProblem('already-exists', `a rule with id ${rule.id} exists or existed; choose another id`);
    return this.transactions
      .run(async (manager) => {
        if (await this.rules.idEverUsed(manager, rule.id)) throw taken();
        const created = ruleViewOf(await this.rules.insert(manager, toWrite(rule), actor.name));
        await this.audit.append(
          actor,
          { action: 'rule.create', targetType: 'rule', targetId: rule.id, before: null, after: created },
          manager,
        );
        return created;
      })
      .catch((error: unknown) => {
        // Two creations of one id at once: the second meets the first's row, not our check.
        if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') throw taken();
        throw error;
      });
  }

  update(
    id: string,
    version: number,
    changes: Partial<RuleDefinition>,
    actor: AuditActor,
  ): Promise<RuleView> {
    return this.transactions.run(async (manager) => {
      const row = await this.locked(manager, id, version);
      const before = ruleViewOf(row);
      const merged = { ...ruleDefinitionOf(row), ...changes };
      checkRule(merged);
      const after = ruleViewOf(await this.rules.update(manager, toWrite(merged), actor.name));
      await this.audit.append(
        actor,
        { action: 'rule.update', targetType: 'rule', targetId: merged.id, before, after },
        manager,
      );
      return after;
    });
  }

  remove(id: string, version: number, actor: AuditActor): Promise<RuleView> {
    return this.transactions.run(async (manager) => {
      const before = ruleViewOf(await this.locked(manager, id, version));
      await this.rules.remove(manager, id);
      await this.audit.append(
        actor,
        { action: 'rule.delete', targetType: 'rule', targetId: id, before, after: null },
        manager,
      );
      return before;
    });
  }

  /** The rule's row, locked, and checked against the version the client read. */
  private async locked(manager: EntityManager, id: string, expectedVersion: number): Promise<RuleRow> {
    const row = await this.rules.lock(manager, id);
    if (row === null) throw notFound(`rule ${id}`);
    const version = row.version as number;
    if (version !== expectedVersion)
      throw new ApiProblem(
        'version-conflict',
        `the rule is at version ${version}, you sent ${expectedVersion}`,
        {
          currentVersion: version,
        },
      );
    return row;
  }
}
