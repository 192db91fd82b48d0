import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { auditActor } from '../http/request-context';
import { ruleDefinition, ruleFields, ruleId, ruleView } from './rule-views';
import { RulesService } from './rules.service';

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

@Controller()
export class RulesController {
  constructor(private readonly rules: RulesService) {}

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
