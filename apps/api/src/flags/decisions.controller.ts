import { Controller, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { allowlistExpiry } from '../allowlist/allowlist-views';
import {
  DECISION_KINDS,
  FLAG_DECISIONS,
  FLAG_STATUSES,
  hasPermission,
  MAX_WATCH_MS,
  reasonCodeRefusal,
  TAKEN_ACTIONS,
  decisionKindOf,
} from '@abuse-monitor/domain';
import { FlagDecisionsRepository, FlagsRepository } from '@abuse-monitor/persistence';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { principalOf } from '../auth/auth.guard';
import { isoDateTime, numericId, typedText } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { ApiProblem, notFound } from '../http/problem';
import { representationEtag } from '../http/representation-etag';
import { auditActor } from '../http/request-context';
import { recognised, storedEnum } from '../http/stored-values';
import { FlagCommandsService } from './flag-commands.service';
import { FlagReadsService } from './flag-reads.service';
import { getFlag } from './flags.controller';
import { historyOf, historyView, iso } from './flag-views';

const flagIdParams = z.object({ id: numericId }).strict();
const time = z.string().describe('ISO 8601 UTC');

export const listDecisionReasons = defineEndpoint({
  operationId: 'listDecisionReasons',
  method: 'get',
  path: '/api/v1/decision-reasons',
  tag: 'flags',
  summary: 'The reason codes a decision may give, per kind of decision (configured: API_DECISION_REASONS)',
  permission: 'flags:read',
  response: z.object({
    items: z.array(
      z.object({
        kind: z.enum(DECISION_KINDS),
        decisions: z.array(z.enum(FLAG_DECISIONS)).describe('the decisions of this kind'),
        reasons: z.array(z.string()).describe('codes, in the order to offer them; the console words them'),
      }),
    ),
  }),
});

const flagState = z.object({
  status: storedEnum(FLAG_STATUSES),
  assignee: z.string().nullable(),
  version: z.number().int(),
});

const decisionOutcome = z.object({
  decision: z.enum(FLAG_DECISIONS),
  reasonCode: z.string(),
  note: z.string().nullable(),
  decidedBy: z.string(),
  decidedAt: time,
  before: flagState,
  after: flagState.extend({ takenAction: storedEnum(TAKEN_ACTIONS).nullable() }),
  watchUntil: time.nullable().describe('set when the flag is now watched: it comes back to the queue then'),
  allowlisted: z
    .object({
      kind: z.literal('number'),
      pattern: z.string(),
      reason: z.string(),
      owner: z.string(),
      until: time
        .nullable()
        .describe(
          'when the entry stops applying (an entry that already existed: its own); null: until removed',
        ),
      alreadyListed: z.boolean().describe('true: the entry existed before this decision'),
    })
    .nullable(),
  events: z
    .array(z.object({ eventId: z.string(), type: z.string(), topic: z.string() }))
    .describe('what provisioning receives on subscriber.flags; empty when the change is history only'),
  historySequence: z.number().int().describe('the history row this decision wrote'),
});

export const decideOnFlag = defineEndpoint({
  operationId: 'decideOnFlag',
  method: 'post',
  path: '/api/v1/flags/{id}/decisions',
  tag: 'flags',
  summary: 'Decide on a flag with a reason code: act, dismiss (and allowlist), watch, or reopen',
  description:
    'The answer holds the flag as it is now and `outcome`: the states before and after, the watch date, the ' +
    'allowlist entry, and the events published, so the console can confirm everything in words. ' +
    "`reasonCode` must be one of GET /api/v1/decision-reasons for the decision's kind; the note is optional. " +
    '`watch` is allowed where the rules recommend watching; without `watchUntil` it lasts 7 days (30 at most).',
  permission: 'flags:act',
  params: flagIdParams,
  body: z
    .object({
      decision: z.enum(FLAG_DECISIONS),
      reasonCode: z.string().max(40),
      note: typedText(2000).optional(),
      version: z.number().int().positive().optional(),
      allowlist: z
        .object({
          reason: typedText(500),
          owner: typedText(100),
          until: allowlistExpiry.optional().describe('default: until a supervisor removes the entry'),
        })
        .strict()
        .optional()
        .describe('only with dismiss: do not flag this number again (until `until`, when given)'),
      watchUntil: isoDateTime.optional().describe('only with watch: when the flag comes back to the queue'),
    })
    .strict()
    .refine((b) => b.allowlist === undefined || b.decision === 'dismiss', {
      message: 'allowlist goes only with the dismiss decision',
      path: ['allowlist'],
    })
    .refine((b) => b.watchUntil === undefined || b.decision === 'watch', {
      message: 'watchUntil goes only with the watch decision',
      path: ['watchUntil'],
    }),
  response: z.object({ flag: getFlag.response, outcome: decisionOutcome }),
  versioned: true,
  problems: [404, 409],
});

export const getFlagHistory = defineEndpoint({
  operationId: 'getFlagHistory',
  method: 'get',
  path: '/api/v1/flags/{id}/history',
  tag: 'flags',
  summary: "A flag's history with who held it before and after each change, and the reason of each decision",
  permission: 'flags:read',
  params: flagIdParams,
  response: z.object({
    flagId: z.number().int(),
    status: storedEnum(FLAG_STATUSES),
    assignee: z.string().nullable(),
    watchUntil: time.nullable().describe('while watched: when it comes back to the queue'),
    items: z.array(
      historyView.extend({
        reasonCode: z.string().nullable(),
        fromAssignee: z
          .string()
          .nullable()
          .describe('who held the flag before the change (a handover: from)'),
        toAssignee: z.string().nullable().describe('who holds it after (a handover: to)'),
      }),
    ),
  }),
  problems: [404],
});

/** Decisions with reasons and what they did, and the history that shows them (decision 0046). */
@Controller()
export class DecisionsController {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly commands: FlagCommandsService,
    private readonly reads: FlagReadsService,
    private readonly flags: FlagsRepository,
    private readonly decisions: FlagDecisionsRepository,
  ) {}

  @Endpoint(listDecisionReasons)
  reasons() {
    const reasons = this.config.API_DECISION_REASONS;
    return {
      items: DECISION_KINDS.map((kind) => ({
        kind,
        decisions: FLAG_DECISIONS.filter((decision) => decisionKindOf(decision) === kind),
        reasons: [...reasons[kind]],
      })),
    };
  }

  @Endpoint(decideOnFlag)
  async decide(
    @Input() input: EndpointInput<typeof decideOnFlag>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const principal = principalOf(req);
    const { decision, reasonCode, note = null, allowlist, watchUntil } = input.body;
    const refusal = reasonCodeRefusal(this.config.API_DECISION_REASONS, decision, reasonCode);
    if (refusal !== null)
      throw new ApiProblem('invalid-request', refusal, {
        errors: [{ in: 'body', field: 'reasonCode', message: refusal }],
      });
    if (allowlist && !hasPermission(principal.role, 'allowlist:write'))
      throw new ApiProblem('forbidden', 'allowlisting a number needs allowlist:write');
    const until = watchUntil === undefined ? null : Date.parse(watchUntil);
    if (until !== null && (until <= Date.now() || until - Date.now() > MAX_WATCH_MS))
      throw new ApiProblem('invalid-request', 'watchUntil must be after now and within 30 days', {
        errors: [{ in: 'body', field: 'watchUntil', message: 'after now and within 30 days' }],
      });
    const outcome = await this.commands.decide(
      input.params.id,
      requiredVersion(input),
      decision,
      { reasonCode, note, allowlist: allowlist ?? null, watchUntil: until },
      { actor: auditActor(req), mayOverride: hasPermission(principal.role, 'flags:reassign') },
    );
    const flag = await this.reads.detail(
      input.params.id,
      hasPermission(principal.role, 'reporters:unmasked'),
    );
    res.setHeader('ETag', representationEtag(flag.version, flag));
    const { before, after } = outcome;
    return {
      flag,
      outcome: {
        decision,
        reasonCode,
        note,
        decidedBy: principal.name,
        decidedAt: new Date(after.lastChangeAt).toISOString(),
        before: { status: before.status, assignee: before.assignee, version: before.sequence },
        after: {
          status: after.status,
          assignee: after.assignee,
          version: after.sequence,
          takenAction: after.takenAction,
        },
        watchUntil: outcome.watchUntil === null ? null : new Date(outcome.watchUntil).toISOString(),
        allowlisted:
          allowlist && outcome.allowlisted !== null
            ? {
                kind: 'number' as const,
                pattern: after.reportedNumber,
                reason: allowlist.reason,
                owner: allowlist.owner,
                until: outcome.allowlisted.until,
                alreadyListed: !outcome.allowlisted.created,
              }
            : null,
        events: outcome.event ? [outcome.event] : [],
        historySequence: outcome.historySequence,
      },
    };
  }

  @Endpoint(getFlagHistory)
  async history(@Input() input: EndpointInput<typeof getFlagHistory>) {
    const row = await this.flags.byId(input.params.id);
    if (!row) throw notFound(`flag ${input.params.id}`);
    const [rows, watchUntil] = await Promise.all([
      this.flags.history(row.id),
      this.decisions.watchUntil(row.id),
    ]);
    return {
      flagId: Number(row.id),
      status: recognised(FLAG_STATUSES, row.status),
      assignee: row.assignee,
      watchUntil: iso(watchUntil),
      items: rows.map((h) => ({
        ...historyOf(h),
        reasonCode: h.reason_code ?? null,
        fromAssignee: h.from_assignee ?? null,
        toAssignee: h.to_assignee ?? null,
      })),
    };
  }
}
