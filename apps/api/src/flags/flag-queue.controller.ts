import { Controller, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { hasPermission, reasonCodeRefusal, SEVERITIES } from '@abuse-monitor/domain';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { principalOf } from '../auth/auth.guard';
import { note, numericId, typedText } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';
import { ApiProblem } from '../http/problem';
import { auditActor } from '../http/request-context';
import { representationEtag } from '../http/representation-etag';
import { FLAG_ACTIONS } from './flag-commands.service';
import { FlagQueueService, RELATED_FLAGS } from './flag-queue.service';
import { FlagReadsService } from './flag-reads.service';
import { flagSummary } from './flag-views';
import { flagDetail } from './flags.controller';

const time = z.string().describe('ISO 8601 UTC');
const count = z.number().int().min(0);

export const flagsDueSoon = defineEndpoint({
  operationId: 'flagsDueSoon',
  method: 'get',
  path: '/api/v1/flags/due-soon',
  tag: 'flags',
  summary: 'The wave ahead: flags whose SLA has run out, or runs out within the next hour and four hours',
  description:
    'Counts open flags (SLA to be claimed) and flags in review (SLA to be decided), by the SLAs the API ' +
    'is configured with (SLA_*, the same as the scheduler). within4h includes within1h.',
  permission: 'flags:read',
  response: z.object({
    at: time,
    overdue: count.describe('SLA already run out'),
    within1h: count,
    within4h: count,
    byStage: z
      .array(
        z.object({
          stage: z.enum(['queue', 'review']).describe('queue: open, to be claimed; review: to be decided'),
          severity: z.enum(SEVERITIES),
          overdue: count,
          within1h: count,
          within4h: count,
        }),
      )
      .describe('only the stages and severities with something overdue or due within 4 h'),
  }),
});

export const claimNextFlag = defineEndpoint({
  operationId: 'claimNextFlag',
  method: 'post',
  path: '/api/v1/flags/claim-next',
  tag: 'flags',
  summary: 'Claim the most urgent open flag nobody else holds',
  description:
    'Atomic: analysts claiming at the same moment each get a different flag (FOR UPDATE SKIP LOCKED). ' +
    'Recorded as a claim (version, history, audit). 404 when no open flag is left that the caller may take.',
  permission: 'flags:act',
  response: flagDetail,
  problems: [404],
});

export const relatedFlags = defineEndpoint({
  operationId: 'relatedFlags',
  method: 'get',
  path: '/api/v1/flags/{id}/related',
  tag: 'flags',
  summary: 'Other flags of the same reporters, the same number block, or the same report text, with why',
  description:
    `At most ${RELATED_FLAGS}, most shared reporters first. Bounded: the reporters and texts of the number's ` +
    'latest 200 reports; the number block is the first 8 digits of the national number.',
  permission: 'flags:read',
  params: z.object({ id: numericId }).strict(),
  response: z.object({
    items: z.array(
      z.object({
        flag: flagSummary,
        why: z.array(z.enum(['shared_reporters', 'same_number_block', 'same_text'])).min(1),
        sharedReporters: count.describe(
          "reporters of this flag's latest reports who reported that number too",
        ),
        sharedTexts: count.describe('distinct texts (case and spacing aside) found in reports of both'),
      }),
    ),
  }),
  problems: [404],
});

export const MAX_BULK_FLAGS = 100;

export const bulkDecisions = defineEndpoint({
  operationId: 'bulkDecisions',
  method: 'post',
  path: '/api/v1/flags/bulk-decisions',
  tag: 'flags',
  summary: 'One decision on several flags, each checked against its version and audited on its own',
  description:
    'Each flag goes through the same command as POST /api/v1/flags/{id}/actions, in its own transaction: ' +
    'a stale version, a flag someone else reviews or an allowlisted number refuses that flag only. ' +
    'The answer lists what was done and what was refused, with the problem of each.',
  permission: 'flags:act',
  body: z
    .object({
      flags: z
        .array(z.object({ flagId: numericId, version: z.number().int().positive() }).strict())
        .min(1)
        .max(MAX_BULK_FLAGS)
        .refine((items) => new Set(items.map((i) => i.flagId)).size === items.length, {
          message: 'each flag at most once',
        }),
      action: z.enum(FLAG_ACTIONS),
      reasonCode: z
        .string()
        .max(40)
        .optional()
        .describe(
          "one of GET /api/v1/decision-reasons for the action's kind; given, each flag is decided as by " +
            'POST /api/v1/flags/{id}/decisions and its history and audit entry carry it',
        ),
      note,
      allowlist: z
        .object({ reason: typedText(500), owner: typedText(100) })
        .strict()
        .optional()
        .describe('only with dismiss: never flag these numbers again'),
    })
    .strict()
    .refine((b) => b.allowlist === undefined || b.action === 'dismiss', {
      message: 'allowlist goes only with the dismiss action',
      path: ['allowlist'],
    }),
  response: z.object({
    done: z.array(z.object({ flagId: z.number().int(), version: z.number().int(), status: z.string() })),
    refused: z.array(
      z.object({
        flagId: z.number().int(),
        status: z.number().int().describe('the HTTP status the single decision would have answered'),
        type: z.string(),
        detail: z.string(),
        currentVersion: z.number().int().optional(),
      }),
    ),
  }),
});

/** The analyst's loop: the overdue wave, claim next, related flags, bulk decisions (decision 0044). */
@Controller()
export class FlagQueueController {
  constructor(
    private readonly queue: FlagQueueService,
    private readonly reads: FlagReadsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Endpoint(flagsDueSoon)
  dueSoon() {
    return this.queue.dueSoon();
  }

  @Endpoint(claimNextFlag)
  async claimNext(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const principal = principalOf(req);
    const id = await this.queue.claimNext({
      actor: auditActor(req),
      mayOverride: hasPermission(principal.role, 'flags:reassign'),
    });
    const detail = await this.reads.detail(id, hasPermission(principal.role, 'reporters:unmasked'));
    res.setHeader('ETag', representationEtag(detail.version, detail));
    return detail;
  }

  @Endpoint(relatedFlags)
  related(@Input() input: EndpointInput<typeof relatedFlags>) {
    return this.queue.related(input.params.id);
  }

  @Endpoint(bulkDecisions)
  bulk(@Input() input: EndpointInput<typeof bulkDecisions>, @Req() req: Request) {
    const principal = principalOf(req);
    const { flags, action, note: text, allowlist, reasonCode } = input.body;
    const refusal =
      reasonCode === undefined
        ? null
        : reasonCodeRefusal(this.config.API_DECISION_REASONS, action, reasonCode);
    if (refusal !== null)
      throw new ApiProblem('invalid-request', refusal, {
        errors: [{ in: 'body', field: 'reasonCode', message: refusal }],
      });
    if (allowlist && !hasPermission(principal.role, 'allowlist:write'))
      throw new ApiProblem('forbidden', 'allowlisting a number needs allowlist:write');
    return this.queue.bulkDecide(
      flags,
      action,
      text,
      allowlist ?? null,
      { actor: auditActor(req), mayOverride: hasPermission(principal.role, 'flags:reassign') },
      reasonCode ?? null,
    );
  }
}
