import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { validateRule } from '@abuse-monitor/domain';
import { AuditLog } from '@abuse-monitor/persistence';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { ApiProblem, invalidRequest, notFound } from '../http/problem';
import { auditActor } from '../http/request-context';
import { ruleDefinition, ruleDefinitionOf, ruleFields, ruleId, ruleView, ruleViewOf } from './rule-views';

const ruleParams = z.object({ id: ruleId }).strict();

export const listRules = defineEndpoint({
  operationId: 'listRules',
  method: 'get',
  path: '/api/v1/rules',
  tag: 'rules',
  summary: 'The flagging rules as they apply now',
  permission: 'rules:read',
  response: z.object({ items: z.array(ruleView) }),
});

export const getRule = defineEndpoint({
  operationId: 'getRule',
  method: 'get',
  path: '/api/v1/rules/{id}',
  tag: 'rules',
  summary: 'A rule and every earlier version of it',
  permission: 'rules:read',
  params: ruleParams,
  response: ruleView.extend({
    versions: z.array(ruleDefinition.extend({ createdAt: z.string(), createdBy: z.string() })),
  }),
  problems: [404],
});

export const createRule = defineEndpoint({
  operationId: 'createRule',
  method: 'post',
  path: '/api/v1/rules',
  tag: 'rules',
  summary: 'Add a rule; it applies from the next batch of reports',
  permission: 'rules:write',
  body: z.object({ id: ruleId, ...ruleFields }).strict(),
  response: ruleView,
  status: 201,
  problems: [409],
});

export const updateRule = defineEndpoint({
  operationId: 'updateRule',
  method: 'patch',
  path: '/api/v1/rules/{id}',
  tag: 'rules',
  summary: 'Change a rule (a new version); it applies from the next batch of reports',
  permission: 'rules:write',
  params: ruleParams,
  body: z
    .object({
      ...Object.fromEntries(Object.entries(ruleFields).map(([k, v]) => [k, v.optional()])),
      version: z.number().int().positive().optional(),
    } as { [K in keyof typeof ruleFields]: z.ZodOptional<(typeof ruleFields)[K]> } & {
      version: z.ZodOptional<z.ZodNumber>;
    })
    .strict(),
  response: ruleView,
  versioned: true,
  problems: [404, 409],
});

export const deleteRule = defineEndpoint({
  operationId: 'deleteRule',
  method: 'delete',
  path: '/api/v1/rules/{id}',
  tag: 'rules',
  summary: 'Delete a rule; its versions stay, so flags it raised still explain themselves',
  description: 'Its id cannot be used again. To stop a rule for a while, set enabled to false instead.',
  permission: 'rules:write',
  params: ruleParams,
  response: ruleView,
  versioned: true,
  problems: [404, 409],
});

/** The domain's checks on the whole rule, after the schema's on each field. */
function checkRule(rule: Record<string, unknown>): void {
  const result = validateRule(rule);
  if (!result.ok)
    throw invalidRequest(result.fieldErrors.map((e) => ({ in: 'body', field: e.field, message: e.message })));
}

@Controller()
export class RulesController {
  private readonly audit = new AuditLog();

  constructor(private readonly dataSource: DataSource) {}

  @Endpoint(listRules)
  async list() {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT * FROM rules ORDER BY id`);
    return { items: rows.map(ruleViewOf) };
  }

  @Endpoint(getRule)
  async get(@Input() input: EndpointInput<typeof getRule>) {
    const row = await this.rowOf(input.params.id, this.dataSource.manager, false);
    const versions: { definition: Record<string, unknown>; created_at: Date; created_by: string }[] =
      await this.dataSource.query(`SELECT * FROM rule_versions WHERE id = $1 ORDER BY version DESC`, [
        input.params.id,
      ]);
    return {
      ...ruleViewOf(row),
      versions: versions.map((v) => ({
        ...ruleDefinitionOf(v.definition),
        createdAt: v.created_at.toISOString(),
        createdBy: v.created_by,
      })),
    };
  }

  @Endpoint(createRule)
  async create(@Input() input: EndpointInput<typeof createRule>, @Req() req: Request) {
    const rule = { version: 1, enabled: true, kind: null, category: null, numberType: null, ...input.body };
    checkRule(rule);
    const actor = auditActor(req);
    const taken = () =>
      new ApiProblem('already-exists', `a rule with id ${rule.id} exists or existed; choose another id`);
    return this.dataSource
      .transaction(async (manager) => {
        const used: unknown[] = await manager.query(`SELECT 1 FROM rule_versions WHERE id = $1 LIMIT 1`, [
          rule.id,
        ]);
        if (used.length > 0)
          throw new ApiProblem(
            'already-exists',
            `a rule with id ${rule.id} exists or existed; choose another id`,
          );
        const rows: Record<string, unknown>[] = await manager.query(
          `INSERT INTO rules (id, name, window_seconds, measure, kind, category, number_type, threshold, severity, action,
                            enabled, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
          [
            rule.id,
            rule.name,
            rule.windowSeconds,
            rule.measure,
            rule.kind,
            rule.category,
            rule.numberType,
            rule.threshold,
            rule.severity,
            rule.action,
            rule.enabled,
            actor.name,
          ],
        );
        const created = ruleViewOf(rows[0]);
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

  @Endpoint(updateRule)
  async update(@Input() input: EndpointInput<typeof updateRule>, @Req() req: Request) {
    const actor = auditActor(req);
    const { version: _version, ...changes } = input.body;
    return this.dataSource.transaction(async (manager) => {
      const row = await this.rowOf(input.params.id, manager, true, requiredVersion(input));
      const before = ruleViewOf(row);
      const merged = { ...ruleDefinitionOf(row), ...changes };
      checkRule(merged);
      // TypeORM answers an UPDATE with [rows, affected count], not the rows alone.
      const [rows]: [Record<string, unknown>[], number] = await manager.query(
        `UPDATE rules SET name = $2, window_seconds = $3, measure = $4, kind = $5, category = $6, number_type = $7,
                          threshold = $8, severity = $9, action = $10, enabled = $11, updated_by = $12
          WHERE id = $1 RETURNING *`,
        [
          merged.id,
          merged.name,
          merged.windowSeconds,
          merged.measure,
          merged.kind ?? null,
          merged.category ?? null,
          merged.numberType ?? null,
          merged.threshold,
          merged.severity,
          merged.action,
          merged.enabled,
          actor.name,
        ],
      );
      const after = ruleViewOf(rows[0]);
      await this.audit.append(
        actor,
        { action: 'rule.update', targetType: 'rule', targetId: merged.id, before, after },
        manager,
      );
      return after;
    });
  }

  @Endpoint(deleteRule)
  async delete(@Input() input: EndpointInput<typeof deleteRule>, @Req() req: Request) {
    const actor = auditActor(req);
    return this.dataSource.transaction(async (manager) => {
      const before = ruleViewOf(await this.rowOf(input.params.id, manager, true, requiredVersion(input)));
      await manager.query(`DELETE FROM rules WHERE id = $1`, [input.params.id]);
      await this.audit.append(
        actor,
        { action: 'rule.delete', targetType: 'rule', targetId: input.params.id, before, after: null },
        manager,
      );
      return before;
    });
  }

  /** The rule's row, locked when about to change it and checked against the version the client read. */
  private async rowOf(
    id: string,
    manager: EntityManager,
    forUpdate: boolean,
    expectedVersion?: number,
  ): Promise<Record<string, unknown>> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT * FROM rules WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
    if (rows.length === 0) throw notFound(`rule ${id}`);
    const version = rows[0].version as number;
    if (expectedVersion !== undefined && version !== expectedVersion)
      throw new ApiProblem(
        'version-conflict',
        `the rule is at version ${version}, you sent ${expectedVersion}`,
        {
          currentVersion: version,
        },
      );
    return rows[0];
  }
}
