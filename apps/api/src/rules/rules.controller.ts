import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { auditActor } from '../http/request-context';
import { isoDateTime } from '../http/common-schemas';
import { CHANGE_KINDS, FLAG_RECOMMENDATIONS, SEVERITIES } from '@abuse-monitor/domain';
import { PREVIEW_EXAMPLES, PREVIEW_MAX_DAYS, RuleChange, RulePreviewService } from './rule-preview.service';
import { ruleDefinition, ruleFields, ruleId, ruleView } from './rule-views';
import { RulesService } from './rules.service';

const ruleParams = z.object({ id: ruleId }).strict();

const optionalRuleFields = Object.fromEntries(
  Object.entries(ruleFields).map(([k, v]) => [k, v.optional()]),
) as { [K in keyof typeof ruleFields]: z.ZodOptional<(typeof ruleFields)[K]> };

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
  body: z.object({ ...optionalRuleFields, version: z.number().int().positive().optional() }).strict(),
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

const replayedFlag = z
  .object({
    severity: z.enum(SEVERITIES),
    ruleId: z.string(),
    ruleVersion: z.number().int(),
    recommendedAction: z.enum(FLAG_RECOMMENDATIONS),
    openedAt: z.number().int().describe('epoch milliseconds of the report that opened it'),
    transitions: z.number().int().describe('opened plus raised'),
  })
  .nullable()
  .describe('null: no flag');

const severityTotals = z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int()])));

export const previewRules = defineEndpoint({
  operationId: 'previewRules',
  method: 'post',
  path: '/api/v1/rules/what-if',
  tag: 'rules',
  summary: 'What proposed rule changes would have flagged over a period, before saving them',
  description:
    'Replays the stored reports of the period through the current rules and through the current rules with ' +
    'the changes applied, as if no number had had a flag, and answers how many flags the changes would open, ' +
    `not open, raise or lower, with up to ${PREVIEW_EXAMPLES} numbers of each. Numbers with fewer weighted ` +
    'reports than the lowest enabled threshold are counted but cannot change and are not replayed. Reads only; ' +
    `at most ${PREVIEW_MAX_DAYS} days; one preview at a time per server (429 otherwise).`,
  permission: 'rules:write',
  body: z
    .object({
      from: isoDateTime,
      to: isoDateTime.optional().describe('default: now'),
      changes: z
        .array(
          z.discriminatedUnion('op', [
            z.object({ op: z.literal('update'), id: ruleId, ...optionalRuleFields }).strict(),
            z.object({ op: z.literal('create'), id: ruleId, ...ruleFields }).strict(),
            z.object({ op: z.literal('delete'), id: ruleId }).strict(),
          ]),
        )
        .min(1)
        .max(50),
    })
    .strict(),
  response: z.object({
    from: z.string(),
    to: z.string(),
    reports: z.number().int(),
    numbers: z.number().int(),
    numbersReplayed: z.number().int(),
    anonymisedReports: z
      .number()
      .int()
      .describe('reports past retention: their reporters all read the same, so distinct counts are too low'),
    current: severityTotals,
    candidate: severityTotals,
    changes: z.object(Object.fromEntries(CHANGE_KINDS.map((k) => [k, z.number().int()]))),
    examples: z.object(
      Object.fromEntries(
        CHANGE_KINDS.map((k) => [
          k,
          z.array(z.object({ reportedNumber: z.string(), before: replayedFlag, after: replayedFlag })),
        ]),
      ),
    ),
    tookMs: z.number().int(),
  }),
  problems: [429],
});

@Controller()
export class RulesController {
  constructor(
    private readonly rules: RulesService,
    private readonly previews: RulePreviewService,
  ) {}

  @Endpoint(previewRules)
  preview(@Input() input: EndpointInput<typeof previewRules>) {
    const { from, to, changes } = input.body;
    return this.previews.preview(
      { from: new Date(from), to: to === undefined ? new Date() : new Date(to) },
      changes as RuleChange[],
    );
  }

  @Endpoint(listRules)
  async list() {
    return { items: await this.rules.list() };
  }

  @Endpoint(getRule)
  get(@Input() input: EndpointInput<typeof getRule>) {
    return this.rules.get(input.params.id);
  }

  @Endpoint(createRule)
  create(@Input() input: EndpointInput<typeof createRule>, @Req() req: Request) {
    return this.rules.create(input.body, auditActor(req));
  }

  @Endpoint(updateRule)
  update(@Input() input: EndpointInput<typeof updateRule>, @Req() req: Request) {
    const { version: _version, ...changes } = input.body;
    return this.rules.update(input.params.id, requiredVersion(input), changes, auditActor(req));
  }

  @Endpoint(deleteRule)
  delete(@Input() input: EndpointInput<typeof deleteRule>, @Req() req: Request) {
    return this.rules.remove(input.params.id, requiredVersion(input), auditActor(req));
  }
}
