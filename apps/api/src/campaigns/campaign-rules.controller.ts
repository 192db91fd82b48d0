import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { CAMPAIGN_RULE_BOUNDS, DEFAULT_CAMPAIGN_RULES, validateCampaignRules } from '@abuse-monitor/domain';
import { AuditLogRepository, CampaignsRepository, Transactions } from '@abuse-monitor/persistence';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { ApiProblem, invalidRequest } from '../http/problem';
import { auditActor } from '../http/request-context';

type Field = keyof typeof CAMPAIGN_RULE_BOUNDS;
const FIELDS = Object.keys(CAMPAIGN_RULE_BOUNDS) as Field[];

/** Each field as the domain bounds it; the validator has the last word (cross-field checks). */
const fieldSchemas = Object.fromEntries(
  FIELDS.map((field) => {
    const { min, max, integer } = CAMPAIGN_RULE_BOUNDS[field];
    const number = integer ? z.number().int() : z.number();
    return [field, number.min(min).max(max)];
  }),
) as Record<Field, z.ZodNumber>;

const rulesView = z.object({
  version: z.number().int().describe('send it back as If-Match or `version` to change the rules'),
  ...fieldSchemas,
  createdAt: z.string().describe('ISO 8601 UTC: when this version was made'),
  createdBy: z.string(),
});

export const getCampaignRules = defineEndpoint({
  operationId: 'getCampaignRules',
  method: 'get',
  path: '/api/v1/campaign-rules',
  tag: 'campaigns',
  summary: 'The campaign grouping rules in force, and every earlier version (decision 0051)',
  permission: 'rules:read',
  response: rulesView.extend({ versions: z.array(rulesView) }),
});

export const updateCampaignRules = defineEndpoint({
  operationId: 'updateCampaignRules',
  method: 'patch',
  path: '/api/v1/campaign-rules',
  tag: 'campaigns',
  summary: 'Change campaign rules (a new version); the next grouping run regroups the last 30 days with them',
  description:
    'Fields left out keep their value. Weights with which one supporting signal (number block, shared ' +
    'reporters, onset) would join two numbers alone are refused, as is a minLinkScore no link can reach.',
  permission: 'rules:write',
  body: z
    .object({
      ...(Object.fromEntries(FIELDS.map((field) => [field, fieldSchemas[field].optional()])) as Record<
        Field,
        z.ZodOptional<z.ZodNumber>
      >),
      version: z.number().int().positive().optional(),
    })
    .strict(),
  response: rulesView,
  versioned: true,
  problems: [409],
});

/** The campaign rules as data (decision 0054): every edit a new version, audited like a flag rule's. */
@Controller()
export class CampaignRulesController {
  constructor(
    private readonly transactions: Transactions,
    private readonly campaigns: CampaignsRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  @Endpoint(getCampaignRules)
  async get() {
    const versions = (await this.campaigns.rulesVersions(this.transactions.outside)).map(viewOf);
    const [current] = versions;
    if (!current) throw new Error('no campaign rules stored: the Campaigns migration seeds version 1');
    return { ...current, versions };
  }

  @Endpoint(updateCampaignRules)
  async update(@Input() input: EndpointInput<typeof updateCampaignRules>, @Req() req: Request) {
    const expected = requiredVersion(input);
    const actor = auditActor(req);
    const { version: _ignored, ...changes } = input.body;
    return this.transactions.run(async (manager) => {
      const current = await this.campaigns.currentRules(manager);
      const version = current?.version ?? 0;
      if (version !== expected)
        throw new ApiProblem(
          'version-conflict',
          `the campaign rules are at version ${version}, you sent ${expected}`,
          {
            currentVersion: version,
          },
        );
      const before = { ...DEFAULT_CAMPAIGN_RULES, ...(current?.definition as object) };
      const checked = validateCampaignRules({ ...before, ...changes, version: version + 1 });
      if (!checked.ok)
        throw invalidRequest(
          checked.fieldErrors.map((e) => ({ in: 'body', field: e.field, message: e.message })),
        );
      if (!(await this.campaigns.addRulesVersion(manager, version + 1, checked.rules, actor.name)))
        throw new ApiProblem(
          'version-conflict',
          'someone else changed the campaign rules at the same moment',
          {
            currentVersion: version + 1,
          },
        );
      await this.audit.append(
        actor,
        {
          action: 'rule.update',
          targetType: 'rule',
          targetId: 'campaign-rules',
          before,
          after: checked.rules,
        },
        manager,
      );
      return { ...checked.rules, createdAt: new Date().toISOString(), createdBy: actor.name };
    });
  }
}

function viewOf(row: { version: number; definition: unknown; created_at: Date; created_by: string }) {
  return {
    ...DEFAULT_CAMPAIGN_RULES,
    ...(row.definition as object),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}
