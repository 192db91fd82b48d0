import { Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  CAMPAIGN_STATUSES,
  CARRIERS,
  FLAG_KINDS,
  FLAG_STATUSES,
  hasPermission,
  NUMBER_TYPES,
  SEVERITIES,
} from '@abuse-monitor/domain';
import {
  AppealsRepository,
  FLAG_SORTS,
  QUEUE_STATUSES,
  TokensRepository,
  Transactions,
} from '@abuse-monitor/persistence';
import { principalOf } from '../auth/auth.guard';
import {
  csvOf,
  cursorOf,
  filterText,
  isoDateTime,
  note,
  numericId,
  pageLimit,
  pageOf,
  typedText,
} from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { ApiProblem } from '../http/problem';
import { matchesIfNoneMatch, representationEtag } from '../http/representation-etag';
import { RawResponse } from '../http/validation.interceptor';
import { auditActor } from '../http/request-context';
import { ruleDefinition } from '../rules/rule-views';
import { storedEnum } from '../http/stored-values';
import { FLAG_ACTIONS, FlagCommandsService } from './flag-commands.service';
import { FlagQueueService } from './flag-queue.service';
import { FlagReadsService, RECENT_REPORTS } from './flag-reads.service';
import { withAppeals } from '../appeals/appeal-views';
import { countersView, evidenceView, flagSummary, historyView, reportView, sourcesView } from './flag-views';

const flagIdParams = z.object({ id: numericId }).strict();

const isQueueStatus = (status: string) => (QUEUE_STATUSES as readonly string[]).includes(status);

export const flagDetail = flagSummary.extend({
  countsReportsAfter: z.string().nullable().describe('only reports after this count towards the flag'),
  coordinationShare: z.number().nullable(),
  rule: ruleDefinition.nullable().describe('the rule version that set the severity'),
  evidence: evidenceView,
  sources: sourcesView,
  counters: countersView.nullable(),
  recentReports: z.array(reportView).describe(`the latest ${RECENT_REPORTS} reports of the number`),
  history: z.array(historyView),
  campaign: z
    .object({ id: z.number().int(), status: storedEnum(CAMPAIGN_STATUSES) })
    .nullable()
    .describe('the campaign the number is in (GET /api/v1/campaigns/{id}); null when none'),
});

const cursorShape = z.union([
  z.object({
    sort: z.enum(['severity', 'oldest', 'newest']),
    rank: z.number().int().min(1).max(3),
    openedAt: isoDateTime,
    id: z.string().regex(/^\d{1,18}$/),
  }),
  z.object({
    sort: z.literal('urgency'),
    dueMicros: z.string().regex(/^-?\d{1,18}$/),
    rank: z.number().int().min(1).max(3),
    reporters: z.number().int().min(0),
    id: z.string().regex(/^\d{1,18}$/),
  }),
]);

const booleanText = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listFlags = defineEndpoint({
  operationId: 'listFlags',
  method: 'get',
  path: '/api/v1/flags',
  tag: 'flags',
  summary: 'The review queue: flags, filtered and sorted (the open ones most urgent first)',
  permission: 'flags:read',
  query: z
    .object({
      kind: csvOf(FLAG_KINDS, 'kind')
        .optional()
        .describe(
          'spoofing: only flags of protected originators, probably spoofed, never to block (decision 0057); abuse: the others',
        ),
      status: csvOf(FLAG_STATUSES, 'status').optional(),
      severity: csvOf(SEVERITIES, 'severity').optional(),
      carrier: csvOf(CARRIERS, 'carrier').optional(),
      numberType: csvOf(NUMBER_TYPES, 'number type').optional(),
      assignee: filterText().optional(),
      openedSince: isoDateTime.optional(),
      openedUntil: isoDateTime.optional(),
      overdue: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional()
        .describe('true: only flags past their SLA: high ones unclaimed, or claimed ones undecided'),
      coordinated: booleanText
        .optional()
        .describe(
          'true: only flags whose reporters look coordinated (the aggregator marks them); false: the others',
        ),
      decidedBy: filterText()
        .optional()
        .describe('only flags whose latest decision (an action or a dismissal) this person made'),
      sort: z
        .enum(FLAG_SORTS)
        .optional()
        .describe(
          'urgency (the default when every status asked for is open or in_review): the SLA that runs out first, ' +
            'then most severe, then most distinct reporters in 24 h; severity (the default otherwise): most ' +
            'severe, then oldest; oldest; newest',
        ),
      limit: pageLimit,
      cursor: cursorOf(cursorShape),
    })
    .strict(),
  response: pageOf(flagSummary).extend({
    total: z
      .number()
      .int()
      .nullable()
      .describe(
        'how many flags match the filter, all pages together: an exact count, on the first page only (null after)',
      ),
    sort: z.enum(FLAG_SORTS).describe('the order of this answer: the one asked for, or the default'),
  }),
});

export const getFlag = defineEndpoint({
  operationId: 'getFlag',
  method: 'get',
  path: '/api/v1/flags/{id}',
  tag: 'flags',
  summary: 'A flag with its evidence: rule, counters, recent reports, history',
  description:
    'The ETag ("version-digest") changes with the answer: If-None-Match answers 304 only when nothing in it ' +
    'changed. Send it back as If-Match when changing the flag; its version part is what is checked.',
  permission: 'flags:read',
  params: flagIdParams,
  response: flagDetail,
  problems: [404],
});

export const assignFlagEndpoint = defineEndpoint({
  operationId: 'assignFlag',
  method: 'post',
  path: '/api/v1/flags/{id}/assign',
  tag: 'flags',
  summary: 'Claim a flag for review, or (supervisors) assign or reassign it',
  description:
    'Without an assignee the caller claims the flag. Assigning it to someone else, or taking over a flag ' +
    'already in review, needs `flags:reassign`; the assignee must be the name of a live token whose role ' +
    'may act on flags.',
  permission: 'flags:act',
  params: flagIdParams,
  body: z
    .object({
      assignee: filterText().optional(),
      note: note.optional(),
      version: z.number().int().positive().optional(),
    })
    .strict(),
  response: flagDetail,
  versioned: true,
  problems: [404, 409],
});

export const actOnFlagEndpoint = defineEndpoint({
  operationId: 'actOnFlag',
  method: 'post',
  path: '/api/v1/flags/{id}/actions',
  tag: 'flags',
  summary: 'Act on a flag (warn, block, suspend, refer to police), dismiss it, or reopen it',
  description:
    'Actions, dismissals and reopenings are published on subscriber.flags for provisioning to enforce. ' +
    'Dismissing with `allowlist` also allowlists the number, which needs `allowlist:write`.',
  permission: 'flags:act',
  params: flagIdParams,
  body: z
    .object({
      action: z.enum(FLAG_ACTIONS),
      note,
      version: z.number().int().positive().optional(),
      allowlist: z
        .object({ reason: typedText(500), owner: typedText(100) })
        .strict()
        .optional()
        .describe('only with dismiss: never flag this number again'),
    })
    .strict()
    .refine((b) => b.allowlist === undefined || b.action === 'dismiss', {
      message: 'allowlist goes only with the dismiss action',
      path: ['allowlist'],
    }),
  response: flagDetail,
  versioned: true,
  problems: [404, 409],
});

@Controller()
export class FlagsController {
  constructor(
    private readonly transactions: Transactions,
    private readonly reads: FlagReadsService,
    private readonly tokens: TokensRepository,
    private readonly commands: FlagCommandsService,
    private readonly queue: FlagQueueService,
    private readonly appeals: AppealsRepository,
  ) {}

  @Endpoint(listFlags)
  async list(@Input() input: EndpointInput<typeof listFlags>) {
    const { cursor, limit = 50, sort: asked, ...filter } = input.query;
    const inQueue = filter.status !== undefined && filter.status.every((s) => isQueueStatus(s));
    const sort = asked ?? (inQueue ? 'urgency' : 'severity');
    if (sort === 'urgency' && !inQueue)
      throw new ApiProblem(
        'invalid-request',
        'the urgency order is for flags with an SLA: open or in review',
        {
          errors: [{ in: 'query', field: 'sort', message: 'urgency needs status=open, in_review or both' }],
        },
      );
    if (cursor && cursor.sort !== sort)
      throw new ApiProblem('invalid-request', 'the cursor belongs to another sort order', {
        errors: [{ in: 'query', field: 'cursor', message: `was given for sort=${cursor.sort}` }],
      });
    if (sort === 'urgency') {
      const urgent = await this.queue.urgentPage(
        filter,
        cursor?.sort === 'urgency' ? cursor : undefined,
        limit,
      );
      return { ...urgent, items: await this.withAppeals(urgent.items), sort };
    }
    const [page, total] = await Promise.all([
      this.reads.page(filter, sort, cursor?.sort === 'urgency' ? undefined : cursor, limit),
      cursor ? null : this.queue.count(filter),
    ]);
    return { ...page, items: await this.withAppeals(page.items), total, sort };
  }

  /** An appealed flag shows its latest appeal in the queue (decision 0064). */
  private withAppeals<T extends { id: number }>(items: readonly T[]) {
    return withAppeals(items, (ids) => this.appeals.latestForFlags(ids));
  }

  @Endpoint(getFlag)
  async get(
    @Input() input: EndpointInput<typeof getFlag>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const detail = await this.answerWithFlag(input.params.id, req, res);
    if (!matchesIfNoneMatch(req.header('if-none-match'), res.getHeader('ETag') as string)) return detail;
    res.status(304);
    return new RawResponse('');
  }

  @Endpoint(assignFlagEndpoint)
  async assign(
    @Input() input: EndpointInput<typeof assignFlagEndpoint>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const principal = principalOf(req);
    const assignee = input.body.assignee ?? principal.name;
    if (assignee !== principal.name && !hasPermission(principal.role, 'flags:reassign'))
      throw new ApiProblem('forbidden', 'assigning a flag to someone else needs flags:reassign');
    // A flag held by a name nobody signs in with would sit in review until a supervisor noticed.
    if (assignee !== principal.name) {
      const holder = await this.tokens.liveByName(assignee, this.transactions.outside);
      if (!holder || !hasPermission(holder.role, 'flags:act'))
        throw new ApiProblem('invalid-request', `nobody named ${assignee} can review flags`, {
          errors: [
            {
              in: 'body',
              field: 'assignee',
              message: 'not the name of a live token of an analyst, supervisor or admin',
            },
          ],
        });
    }
    await this.commands.assign(input.params.id, requiredVersion(input), assignee, input.body.note ?? null, {
      actor: auditActor(req),
      mayOverride: hasPermission(principal.role, 'flags:reassign'),
    });
    return this.answerWithFlag(input.params.id, req, res);
  }

  @Endpoint(actOnFlagEndpoint)
  async act(
    @Input() input: EndpointInput<typeof actOnFlagEndpoint>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const principal = principalOf(req);
    const { action, note: text, allowlist } = input.body;
    if (allowlist && !hasPermission(principal.role, 'allowlist:write'))
      throw new ApiProblem('forbidden', 'allowlisting a number needs allowlist:write');
    await this.commands.act(input.params.id, requiredVersion(input), action, text, allowlist ?? null, {
      actor: auditActor(req),
      mayOverride: hasPermission(principal.role, 'flags:reassign'),
    });
    return this.answerWithFlag(input.params.id, req, res);
  }

  private async answerWithFlag(id: string, req: Request, res: Response) {
    const read = await this.reads.detail(id, hasPermission(principalOf(req).role, 'reporters:unmasked'));
    const [detail] = await this.withAppeals([read]);
    res.setHeader('ETag', representationEtag(detail.version, detail));
    return detail;
  }
}
