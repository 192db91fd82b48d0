import { Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  APPEAL_CHANNELS,
  APPEAL_DECISIONS,
  APPEAL_STATUSES,
  FLAG_STATUSES,
  MAX_APPEAL_ALLOWLIST_MS,
  MAX_APPEAL_STATEMENT_CHARS,
  TAKEN_ACTIONS,
} from '@abuse-monitor/domain';
import { AppealsRepository, flagFromRow, FlagsRepository } from '@abuse-monitor/persistence';
import { allowlistExpiry } from '../allowlist/allowlist-views';
import {
  anyNotationNumber,
  cursorOf,
  encodeCursor,
  numericId,
  pageLimit,
  pageOf,
  typedText,
} from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { ApiProblem, notFound } from '../http/problem';
import { representationEtag } from '../http/representation-etag';
import { auditActor } from '../http/request-context';
import { recognised, recognisedOrNull, storedEnum } from '../http/stored-values';
import { appealOf, appealView } from './appeal-views';
import { AppealsService } from './appeals.service';

const time = z.string().describe('ISO 8601 UTC');
const idParams = z.object({ id: numericId }).strict();

/**
 * Control characters (but tab and line breaks: a statement may run over lines) would hide or
 * garble what the supervisor reads; refused, like NUL everywhere in this API.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const statement = typedText(MAX_APPEAL_STATEMENT_CHARS, 'the subscriber’s statement is required')
  .refine((text) => !CONTROL_CHARACTERS.test(text), { message: 'must not contain control characters' })
  .describe(`what the subscriber said, in their words (at most ${MAX_APPEAL_STATEMENT_CHARS} characters)`);
const decisionNote = typedText(2000, 'a note is required: the subscriber is told why').refine(
  (text) => !CONTROL_CHARACTERS.test(text),
  { message: 'must not contain control characters' },
);

export const recordAppeal = defineEndpoint({
  operationId: 'recordAppeal',
  method: 'post',
  path: '/api/v1/flags/{id}/appeals',
  tag: 'appeals',
  summary: "Record a subscriber's appeal against the action in force on a flag (agents)",
  description:
    'Only an actioned flag can be appealed (otherwise 409 flag-not-actioned), and one appeal at a time ' +
    '(409 appeal-pending). The appeal is due APPEAL_SLA after now; the flag keeps its action until a ' +
    'supervisor decides, and its history gains an `appealed` row (no event).',
  permission: 'appeals:record',
  params: idParams,
  body: z
    .object({
      statement,
      channel: z.enum(APPEAL_CHANNELS).describe('how the subscriber got in touch'),
    })
    .strict(),
  response: appealView,
  status: 201,
  problems: [404, 409],
});

export const findAppealableFlag = defineEndpoint({
  operationId: 'findAppealableFlag',
  method: 'get',
  path: '/api/v1/appealable-flags',
  tag: 'appeals',
  summary: "The action in force on a number, for an agent recording the subscriber's appeal",
  description:
    'Agents do not read the review queue (decision 0064): this tells them only whether the number has an ' +
    'action that can be appealed, and its pending appeal if any.',
  permission: 'appeals:record',
  query: z
    .object({ number: anyNotationNumber.describe('the subscriber’s number, in any notation') })
    .strict(),
  response: z.object({
    reportedNumber: z.string(),
    flag: z
      .object({
        id: z.number().int(),
        takenAction: storedEnum(TAKEN_ACTIONS).nullable(),
        actionedAt: time,
        pendingAppeal: z
          .object({ id: z.number().int(), receivedAt: time, dueAt: time })
          .nullable()
          .describe('an appeal already waiting: a second one is refused'),
      })
      .nullable()
      .describe('null: no action in force on the number, nothing to appeal'),
  }),
});

export const listAppeals = defineEndpoint({
  operationId: 'listAppeals',
  method: 'get',
  path: '/api/v1/appeals',
  tag: 'appeals',
  summary: 'Appeals in SLA order (due first first), a page at a time',
  permission: 'appeals:read',
  query: z
    .object({
      status: z.enum(APPEAL_STATUSES).optional(),
      overdue: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional()
        .describe('true: only pending appeals past their due date; false: all others'),
      limit: pageLimit,
      cursor: cursorOf(z.object({ dueAt: z.iso.datetime(), id: numericId }).strict()),
    })
    .strict(),
  response: pageOf(appealView),
});

export const getAppeal = defineEndpoint({
  operationId: 'getAppeal',
  method: 'get',
  path: '/api/v1/appeals/{id}',
  tag: 'appeals',
  summary: 'An appeal, with the flag it is about',
  permission: 'appeals:read',
  params: idParams,
  response: appealView.extend({
    flag: z.object({
      id: z.number().int(),
      version: z.number().int(),
      status: storedEnum(FLAG_STATUSES),
      takenAction: storedEnum(TAKEN_ACTIONS).nullable(),
    }),
  }),
  problems: [404],
});

export const decideOnAppeal = defineEndpoint({
  operationId: 'decideOnAppeal',
  method: 'post',
  path: '/api/v1/appeals/{id}/decisions',
  tag: 'appeals',
  summary: 'Uphold the action, or reverse it and lift it (supervisors)',
  description:
    '`reverse` sets the flag dismissed with no action and publishes a `lifted` event on subscriber.flags naming ' +
    'the action provisioning must undo (decision 0065); with `allowlist` it also allowlists the number until ' +
    '`allowlist.until` (within a year), so the reports already judged cannot flag it again meanwhile. ' +
    "`uphold` keeps the action (history only). The version is the appeal's.",
  permission: 'appeals:decide',
  params: idParams,
  body: z
    .object({
      decision: z.enum(APPEAL_DECISIONS),
      note: decisionNote,
      version: z.number().int().positive().optional(),
      allowlist: z
        .object({
          reason: typedText(500),
          owner: typedText(100),
          until: allowlistExpiry
            .refine((text) => Date.parse(text) - Date.now() <= MAX_APPEAL_ALLOWLIST_MS, {
              message: 'within a year: an appeal does not allowlist a number for ever',
            })
            .describe('when the entry stops applying'),
        })
        .strict()
        .optional()
        .describe('only with reverse: keep the number from being flagged again until `until`'),
    })
    .strict()
    .refine((b) => b.allowlist === undefined || b.decision === 'reverse', {
      message: 'allowlist goes only with the reverse decision',
      path: ['allowlist'],
    }),
  response: z.object({
    appeal: appealView,
    flag: z.object({
      id: z.number().int(),
      version: z.number().int(),
      status: storedEnum(FLAG_STATUSES),
      takenAction: storedEnum(TAKEN_ACTIONS).nullable(),
    }),
    historySequence: z.number().int().describe("the flag's history row this decision wrote"),
    events: z
      .array(z.object({ eventId: z.string(), type: z.string(), topic: z.string() }))
      .describe('what provisioning receives on subscriber.flags: a lifted event on reverse, none on uphold'),
    allowlisted: z
      .object({
        pattern: z.string(),
        until: time.nullable(),
        alreadyListed: z.boolean(),
      })
      .nullable(),
  }),
  versioned: true,
  problems: [404, 409],
});

/** Appeals against actions on numbers (decisions 0064 and 0065). */
@Controller()
export class AppealsController {
  constructor(
    private readonly service: AppealsService,
    private readonly appeals: AppealsRepository,
    private readonly flags: FlagsRepository,
  ) {}

  @Endpoint(recordAppeal)
  async record(@Input() input: EndpointInput<typeof recordAppeal>, @Req() req: Request) {
    const row = await this.service.record(input.params.id, input.body, auditActor(req));
    return appealOf(row);
  }

  @Endpoint(findAppealableFlag)
  async findAppealable(@Input() input: EndpointInput<typeof findAppealableFlag>) {
    const number = input.query.number;
    const row = await this.flags.byNumber(number);
    if (row === null || row.status !== 'actioned') return { reportedNumber: number, flag: null };
    const [latest] = await this.appeals.latestForFlags([row.id]);
    const pending = latest?.status === 'pending' ? latest : null;
    return {
      reportedNumber: number,
      flag: {
        id: Number(row.id),
        takenAction: recognisedOrNull(TAKEN_ACTIONS, row.taken_action),
        actionedAt: row.last_change_at.toISOString(),
        pendingAppeal: pending
          ? {
              id: Number(pending.id),
              receivedAt: pending.received_at.toISOString(),
              dueAt: pending.due_at.toISOString(),
            }
          : null,
      },
    };
  }

  @Endpoint(listAppeals)
  async list(@Input() input: EndpointInput<typeof listAppeals>) {
    const { limit = 50, cursor, status, overdue } = input.query;
    const rows = await this.appeals.list({ status, overdue, now: new Date() }, cursor ?? null, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => appealOf(row)),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ dueAt: last.due_at.toISOString(), id: String(last.id) })
          : null,
    };
  }

  @Endpoint(getAppeal)
  async get(@Input() input: EndpointInput<typeof getAppeal>, @Res({ passthrough: true }) res: Response) {
    const row = await this.appeals.byId(input.params.id);
    if (row === null) throw notFound(`appeal ${input.params.id}`);
    const flag = await this.flags.byId(row.flag_id);
    if (flag === null) throw notFound(`flag ${row.flag_id}`);
    const answer = {
      ...appealOf(row),
      flag: {
        id: Number(flag.id),
        version: flag.sequence,
        status: recognised(FLAG_STATUSES, flag.status),
        takenAction: recognisedOrNull(TAKEN_ACTIONS, flag.taken_action),
      },
    };
    res.setHeader('ETag', representationEtag(row.version, answer));
    return answer;
  }

  @Endpoint(decideOnAppeal)
  async decide(@Input() input: EndpointInput<typeof decideOnAppeal>, @Req() req: Request) {
    const { decision, note, allowlist } = input.body;
    if (allowlist && decision !== 'reverse')
      throw new ApiProblem('invalid-request', 'allowlist goes only with the reverse decision');
    const outcome = await this.service.decide(
      input.params.id,
      requiredVersion(input),
      decision,
      note,
      allowlist ?? null,
      auditActor(req),
    );
    const flag = flagFromRowView(outcome.flagId, outcome.flag);
    return {
      appeal: appealOf(outcome.appeal),
      flag,
      historySequence: outcome.historySequence,
      events: outcome.event ? [outcome.event] : [],
      allowlisted: outcome.allowlisted
        ? {
            pattern: outcome.flag.reportedNumber,
            until: outcome.allowlisted.until,
            alreadyListed: !outcome.allowlisted.created,
          }
        : null,
    };
  }
}

function flagFromRowView(id: string, flag: ReturnType<typeof flagFromRow>) {
  return { id: Number(id), version: flag.sequence, status: flag.status, takenAction: flag.takenAction };
}
