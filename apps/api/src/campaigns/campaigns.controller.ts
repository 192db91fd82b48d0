import { Controller, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import {
  CAMPAIGN_DECISIONS,
  CAMPAIGN_STATUSES,
  CARRIERS,
  FLAG_STATUSES,
  hasPermission,
  reasonCodeRefusal,
  SEVERITIES,
} from '@abuse-monitor/domain';
import { CAMPAIGN_SORTS, CampaignRow, CampaignsRepository } from '@abuse-monitor/persistence';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { principalOf } from '../auth/auth.guard';
import {
  csvOf,
  cursorOf,
  e164,
  encodeCursor,
  isoDateTime,
  numericId,
  pageLimit,
  pageOf,
  typedText,
} from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { ApiProblem, notFound } from '../http/problem';
import { auditActor } from '../http/request-context';
import { recognised, storedEnum } from '../http/stored-values';
import { CampaignCommandsService } from './campaign-commands.service';

const params = z.object({ id: numericId }).strict();
const time = z.string().describe('ISO 8601 UTC');
const RANK: Record<string, number> = { low: 1, medium: 2, high: 3 };

const cursorShape = z.object({
  sort: z.enum(CAMPAIGN_SORTS),
  id: z.string().regex(/^\d{1,18}$/),
  lastSeenAt: isoDateTime,
  rank: z.number().int().min(1).max(3),
  members: z.number().int().min(0),
});

export const campaignSummary = z.object({
  id: z.number().int(),
  status: storedEnum(CAMPAIGN_STATUSES),
  severity: storedEnum(SEVERITIES),
  severityReason: z.string(),
  version: z.number().int().describe('send it back as If-Match or `version` to change the campaign'),
  rulesVersion: z.number().int().describe('the campaign rules version that last grouped it'),
  memberCount: z.number().int(),
  distinctReporters: z.number().int().describe('people who reported any member, counted once'),
  carriers: z.array(z.string()),
  firstSeenAt: time,
  lastSeenAt: time,
  assignee: z.string().nullable(),
  takenAction: z.string().nullable(),
  mergedInto: z.number().int().nullable(),
  openedAt: time,
  actionedAt: time.nullable(),
});

const summaryOf = (c: CampaignRow) => ({
  id: Number(c.id),
  status: recognised(CAMPAIGN_STATUSES, c.status),
  severity: recognised(SEVERITIES, c.severity),
  severityReason: c.severity_reason,
  version: c.version,
  rulesVersion: c.rules_version,
  memberCount: c.member_count,
  distinctReporters: c.distinct_reporters,
  carriers: c.carriers,
  firstSeenAt: c.first_seen_at.toISOString(),
  lastSeenAt: c.last_seen_at.toISOString(),
  assignee: c.assignee,
  takenAction: c.taken_action,
  mergedInto: c.merged_into === null ? null : Number(c.merged_into),
  openedAt: c.opened_at.toISOString(),
  actionedAt: c.actioned_at?.toISOString() ?? null,
});

export const listCampaigns = defineEndpoint({
  operationId: 'listCampaigns',
  method: 'get',
  path: '/api/v1/campaigns',
  tag: 'campaigns',
  summary: 'Campaigns: groups of flagged numbers one operation runs, filtered and sorted',
  permission: 'flags:read',
  query: z
    .object({
      status: csvOf(CAMPAIGN_STATUSES, 'status').optional(),
      severity: csvOf(SEVERITIES, 'severity').optional(),
      carrier: z.enum(CARRIERS).optional().describe('only campaigns with a member of this carrier'),
      sort: z
        .enum(CAMPAIGN_SORTS)
        .optional()
        .describe(
          'newest (the default): latest report first; severity: most severe first; largest: most members',
        ),
      limit: pageLimit,
      cursor: cursorOf(cursorShape),
    })
    .strict(),
  response: pageOf(campaignSummary).extend({ sort: z.enum(CAMPAIGN_SORTS) }),
});

const linkView = z.object({ with: z.string(), explanation: z.string() });

export const getCampaign = defineEndpoint({
  operationId: 'getCampaign',
  method: 'get',
  path: '/api/v1/campaigns/{id}',
  tag: 'campaigns',
  summary: 'A campaign: its members with the evidence that ties each in, its counters and its timeline',
  permission: 'flags:read',
  params,
  response: campaignSummary.extend({
    members: z.array(
      z.object({
        reportedNumber: z.string(),
        flagId: z.number().int(),
        flagStatus: storedEnum(FLAG_STATUSES),
        flagSeverity: storedEnum(SEVERITIES),
        flagVersion: z.number().int(),
        joinedAt: time,
        joinedBy: z
          .string()
          .describe("'scheduler' (the grouping), 'next_sim', or the supervisor who merged it"),
        links: z.array(linkView).describe('the signals that tie it to other members, worded'),
        mergedBySupervisor: z.boolean(),
        nextSim: z
          .string()
          .nullable()
          .describe("why it was flagged as an actioned campaign's next SIM; null otherwise"),
      }),
    ),
    timeline: z.array(
      z.object({
        sequence: z.number().int(),
        change: z.string(),
        fromStatus: z.string().nullable(),
        toStatus: z.string(),
        actor: z.string(),
        note: z.string().nullable(),
        details: z.record(z.string(), z.unknown()),
        eventId: z.string().nullable(),
        occurredAt: time,
      }),
    ),
  }),
  problems: [404],
});

const versionField = z.number().int().positive().optional();

export const claimCampaign = defineEndpoint({
  operationId: 'claimCampaign',
  method: 'post',
  path: '/api/v1/campaigns/{id}/claim',
  tag: 'campaigns',
  summary: 'Take an open campaign for review',
  permission: 'flags:act',
  params,
  body: z.object({ version: versionField }).strict(),
  response: campaignSummary,
  versioned: true,
  problems: [404, 409],
});

export const decideOnCampaign = defineEndpoint({
  operationId: 'decideOnCampaign',
  method: 'post',
  path: '/api/v1/campaigns/{id}/decisions',
  tag: 'campaigns',
  summary:
    'Decide on a campaign: one decision on every member flag (act or dismiss), each with its history and event',
  description:
    'Each member flag whose status allows the decision changes as if decided alone: its own history row, ' +
    'audit entry and subscriber.flags event, which carries `campaignId`. Members it cannot apply to ' +
    '(already actioned, on the allowlist) are named in `unchanged` with the reason. `reasonCode` is one ' +
    'of GET /api/v1/decision-reasons for the kind (act or dismiss).',
  permission: 'flags:act',
  params,
  body: z
    .object({
      decision: z.enum(CAMPAIGN_DECISIONS),
      reasonCode: z.string().max(40),
      note: typedText(2000).optional(),
      version: versionField,
    })
    .strict(),
  response: z.object({
    campaign: campaignSummary,
    changed: z.array(
      z.object({
        reportedNumber: z.string(),
        flagId: z.number().int(),
        version: z.number().int(),
        eventId: z.string().nullable(),
      }),
    ),
    unchanged: z.array(
      z.object({ reportedNumber: z.string(), flagId: z.number().int(), reason: z.string() }),
    ),
  }),
  versioned: true,
  problems: [404, 409],
});

export const reopenCampaign = defineEndpoint({
  operationId: 'reopenCampaign',
  method: 'post',
  path: '/api/v1/campaigns/{id}/reopen',
  tag: 'campaigns',
  summary: 'Reopen an actioned or dismissed campaign and the member flags its decision closed',
  description:
    'The campaign goes back to open, unassigned, and is no longer matched against next SIMs. Each member ' +
    'flag that is actioned or dismissed is reopened as if alone: its own history row, audit entry and ' +
    'subscriber.flags event (with `campaignId`); the campaign gets a `reopened` event on subscriber.campaigns. ' +
    "A supervisor's decision is undone only by a supervisor: the campaign's (403) and each member's (named " +
    'in `unchanged`). `reasonCode` is one of GET /api/v1/decision-reasons for reopen.',
  permission: 'flags:act',
  params,
  body: z
    .object({ reasonCode: z.string().max(40), note: typedText(2000).optional(), version: versionField })
    .strict(),
  response: decideOnCampaign.response,
  versioned: true,
  problems: [403, 404, 409],
});

export const mergeCampaigns = defineEndpoint({
  operationId: 'mergeCampaigns',
  method: 'post',
  path: '/api/v1/campaigns/{id}/merge',
  tag: 'campaigns',
  summary: 'Supervisors: merge other campaigns into this one; the grouping keeps them together',
  permission: 'flags:reassign',
  params,
  body: z
    .object({ campaigns: z.array(numericId).min(1).max(50), version: versionField })
    .strict()
    .describe('the ids of the campaigns merged into this one'),
  response: campaignSummary,
  versioned: true,
  problems: [404, 409],
});

export const splitCampaign = defineEndpoint({
  operationId: 'splitCampaign',
  method: 'post',
  path: '/api/v1/campaigns/{id}/split',
  tag: 'campaigns',
  summary: 'Supervisors: move members to a new campaign; the grouping keeps the two apart',
  permission: 'flags:reassign',
  params,
  body: z.object({ numbers: z.array(e164).min(1).max(10_000), version: versionField }).strict(),
  response: z.object({ campaign: campaignSummary, newCampaignId: z.number().int() }),
  versioned: true,
  problems: [404, 409],
});

export const removeCampaignMember = defineEndpoint({
  operationId: 'removeCampaignMember',
  method: 'post',
  path: '/api/v1/campaigns/{id}/remove-member',
  tag: 'campaigns',
  summary:
    'Supervisors: take a number out of the campaign; the grouping never puts it back with these members',
  permission: 'flags:reassign',
  params,
  body: z.object({ number: e164, version: versionField }).strict(),
  response: campaignSummary,
  versioned: true,
  problems: [404, 409],
});

@Controller()
export class CampaignsController {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly campaigns: CampaignsRepository,
    private readonly commands: CampaignCommandsService,
  ) {}

  @Endpoint(listCampaigns)
  async list(@Input() input: EndpointInput<typeof listCampaigns>) {
    const { cursor, limit = 50, sort: asked, ...filter } = input.query;
    const sort = asked ?? 'newest';
    if (cursor && cursor.sort !== sort)
      throw new ApiProblem('invalid-request', 'the cursor belongs to another sort order', {
        errors: [{ in: 'query', field: 'cursor', message: `was given for sort=${cursor.sort}` }],
      });
    const rows = await this.campaigns.list(filter, sort, cursor, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(summaryOf),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({
              sort,
              id: String(last.id),
              lastSeenAt: last.last_seen_at.toISOString(),
              rank: RANK[last.severity] ?? 1,
              members: last.member_count,
            })
          : null,
      sort,
    };
  }

  @Endpoint(getCampaign)
  async get(@Input() input: EndpointInput<typeof getCampaign>) {
    return this.detail(input.params.id);
  }

  @Endpoint(claimCampaign)
  async claim(@Input() input: EndpointInput<typeof claimCampaign>, @Req() req: Request) {
    await this.commands.claim(input.params.id, requiredVersion(input), this.caller(req));
    return this.summary(input.params.id);
  }

  @Endpoint(decideOnCampaign)
  async decide(@Input() input: EndpointInput<typeof decideOnCampaign>, @Req() req: Request) {
    const { decision, reasonCode, note = null } = input.body;
    const refusal = reasonCodeRefusal(this.config.API_DECISION_REASONS, decision, reasonCode);
    if (refusal !== null)
      throw new ApiProblem('invalid-request', refusal, {
        errors: [{ in: 'body', field: 'reasonCode', message: refusal }],
      });
    const outcome = await this.commands.decide(
      input.params.id,
      requiredVersion(input),
      decision,
      { reasonCode, note },
      this.caller(req),
    );
    return {
      campaign: await this.summary(input.params.id),
      changed: outcome.changed.map((c) => ({ ...c, flagId: Number(c.flagId) })),
      unchanged: outcome.unchanged.map((c) => ({ ...c, flagId: Number(c.flagId) })),
    };
  }

  @Endpoint(reopenCampaign)
  async reopen(@Input() input: EndpointInput<typeof reopenCampaign>, @Req() req: Request) {
    const { reasonCode, note = null } = input.body;
    const refusal = reasonCodeRefusal(this.config.API_DECISION_REASONS, 'reopen', reasonCode);
    if (refusal !== null)
      throw new ApiProblem('invalid-request', refusal, {
        errors: [{ in: 'body', field: 'reasonCode', message: refusal }],
      });
    const outcome = await this.commands.reopen(
      input.params.id,
      requiredVersion(input),
      { reasonCode, note },
      this.caller(req),
    );
    return {
      campaign: await this.summary(input.params.id),
      changed: outcome.changed.map((c) => ({ ...c, flagId: Number(c.flagId) })),
      unchanged: outcome.unchanged.map((c) => ({ ...c, flagId: Number(c.flagId) })),
    };
  }

  @Endpoint(mergeCampaigns)
  async merge(@Input() input: EndpointInput<typeof mergeCampaigns>, @Req() req: Request) {
    const others = [...new Set(input.body.campaigns)];
    if (others.includes(input.params.id))
      throw new ApiProblem('invalid-request', 'a campaign cannot be merged into itself', {
        errors: [{ in: 'body', field: 'campaigns', message: 'must not hold the id of the path' }],
      });
    await this.commands.merge(input.params.id, requiredVersion(input), others, this.caller(req));
    return this.summary(input.params.id);
  }

  @Endpoint(splitCampaign)
  async split(@Input() input: EndpointInput<typeof splitCampaign>, @Req() req: Request) {
    const created = await this.commands.split(
      input.params.id,
      requiredVersion(input),
      [...new Set(input.body.numbers)],
      this.caller(req),
    );
    return { campaign: await this.summary(input.params.id), newCampaignId: Number(created) };
  }

  @Endpoint(removeCampaignMember)
  async removeMember(@Input() input: EndpointInput<typeof removeCampaignMember>, @Req() req: Request) {
    await this.commands.removeMember(
      input.params.id,
      requiredVersion(input),
      input.body.number,
      this.caller(req),
    );
    return this.summary(input.params.id);
  }

  private caller(req: Request) {
    return { actor: auditActor(req), mayOverride: hasPermission(principalOf(req).role, 'flags:reassign') };
  }

  private async summary(id: string) {
    const row = await this.campaigns.byId(id);
    if (!row) throw notFound(`campaign ${id}`);
    return summaryOf(row);
  }

  private async detail(id: string) {
    const row = await this.campaigns.byId(id);
    if (!row) throw notFound(`campaign ${id}`);
    const [members, history] = await Promise.all([this.campaigns.members(id), this.campaigns.history(id)]);
    return {
      ...summaryOf(row),
      members: members.map((m) => {
        const evidence = m.evidence as {
          links?: { with: string; explanation: string }[];
          mergedBySupervisor?: boolean;
          reason?: string;
        };
        return {
          reportedNumber: m.reported_number,
          flagId: Number(m.flag_id),
          flagStatus: recognised(FLAG_STATUSES, m.flag_status),
          flagSeverity: recognised(SEVERITIES, m.flag_severity),
          flagVersion: m.flag_sequence,
          joinedAt: m.joined_at.toISOString(),
          joinedBy: m.joined_by,
          links: evidence.links ?? [],
          mergedBySupervisor: evidence.mergedBySupervisor ?? false,
          nextSim: evidence.reason ?? null,
        };
      }),
      timeline: history.map((h) => ({
        sequence: h.sequence,
        change: h.change,
        fromStatus: h.from_status,
        toStatus: h.to_status,
        actor: h.actor,
        note: h.note,
        details: h.details,
        eventId: h.event_id,
        occurredAt: h.occurred_at.toISOString(),
      })),
    };
  }
}
