import { Controller, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { hasPermission, maskNumber } from '@abuse-monitor/domain';
import { Publisher, TopicNames } from '@abuse-monitor/messaging';
import { AgentSubmission, AgentSubmissionStore, AuditLog } from '@abuse-monitor/persistence';
import { API_TOPICS } from '../api.tokens';
import { principalOf } from '../auth/auth.guard';
import { note, numericId, pageLimit, pageOf } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';
import { ApiProblem, notFound } from '../http/problem';
import { auditActor } from '../http/request-context';
import { publishSubmission } from './publish-submission';

const DEFAULT_PAGE = 50;
const time = z.string().describe('ISO 8601 UTC');
const text = (value: unknown) => (typeof value === 'string' ? value : null);

const heldSubmissionView = z.object({
  id: z.number().int(),
  agentId: z.string().describe('the agent whose token submitted it'),
  reportId: z.string().describe('the id the report gets once released'),
  status: z.enum(['held', 'released', 'refused']),
  heldAt: time,
  reporter: z.string().nullable().describe('as the agent typed it; masked without reporters:unmasked'),
  reportedNumber: z.string().nullable(),
  kind: z.string().nullable(),
  category: z.string().nullable(),
  description: z.string().nullable(),
  callTakenAt: z.string().nullable().describe("the submission's submittedAt, as the agent sent it"),
  decidedBy: z.string().nullable(),
  decidedAt: time.nullable(),
  note: z.string().nullable(),
});

function viewOf(held: AgentSubmission, unmasked: boolean): z.input<typeof heldSubmissionView> {
  const body = held.submission ?? {};
  const reporter = text(body.reporter);
  return {
    id: Number(held.id),
    agentId: held.agentId,
    reportId: held.reportId,
    // Only held submissions are ever read here; a queued one never had a decision to make.
    status: held.status === 'queued' ? 'released' : held.status,
    heldAt: held.submittedAt.toISOString(),
    reporter: reporter === null || unmasked ? reporter : maskNumber(reporter),
    reportedNumber: text(body.reportedNumber),
    kind: text(body.kind),
    category: text(body.category),
    description: text(body.description),
    callTakenAt: text(body.submittedAt),
    decidedBy: held.decidedBy,
    decidedAt: held.decidedAt?.toISOString() ?? null,
    note: held.note,
  };
}

const heldParams = z.object({ id: numericId }).strict();

export const listHeldSubmissions = defineEndpoint({
  operationId: 'listHeldSubmissions',
  method: 'get',
  path: '/api/v1/held-submissions',
  tag: 'reports',
  summary: "Hotline submissions held past their agent's hourly quota, oldest first",
  permission: 'submissions:review',
  query: z
    .object({
      limit: pageLimit.optional(),
      cursor: numericId.optional().describe('nextCursor of the previous page'),
    })
    .strict(),
  response: pageOf(heldSubmissionView),
});

export const releaseHeldSubmission = defineEndpoint({
  operationId: 'releaseHeldSubmission',
  method: 'post',
  path: '/api/v1/held-submissions/{id}/release',
  tag: 'reports',
  summary: 'Release a held submission: it goes on to intake as if it had been queued',
  permission: 'submissions:review',
  params: heldParams,
  body: z.object({ note: note.optional() }).strict(),
  response: heldSubmissionView,
  problems: [404, 409, 503],
});

export const refuseHeldSubmission = defineEndpoint({
  operationId: 'refuseHeldSubmission',
  method: 'post',
  path: '/api/v1/held-submissions/{id}/refuse',
  tag: 'reports',
  summary: 'Refuse a held submission: it is never counted; the agent resubmitting it gets 409',
  permission: 'submissions:review',
  params: heldParams,
  body: z.object({ note }).strict(),
  response: heldSubmissionView,
  problems: [404, 409],
});

/** A supervisor's decisions on submissions held past an agent's quota; each is audited. */
@Controller()
export class HeldSubmissionsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly submissions: AgentSubmissionStore,
    private readonly audit: AuditLog,
    private readonly publisher: Publisher,
    @Inject(API_TOPICS) private readonly topics: TopicNames,
  ) {}

  @Endpoint(listHeldSubmissions)
  async list(@Input() input: EndpointInput<typeof listHeldSubmissions>, @Req() req: Request) {
    const limit = input.query.limit ?? DEFAULT_PAGE;
    const rows = await this.submissions.held(input.query.cursor ?? null, limit + 1, this.dataSource.manager);
    const page = rows.slice(0, limit);
    const unmasked = hasPermission(principalOf(req).role, 'reporters:unmasked');
    return {
      items: page.map((held) => viewOf(held, unmasked)),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  @Endpoint(releaseHeldSubmission)
  async release(@Input() input: EndpointInput<typeof releaseHeldSubmission>, @Req() req: Request) {
    return this.decide(input.params.id, 'released', input.body.note ?? null, req, async (held) => {
      if (held.submission?.anonymised === true)
        throw new ApiProblem('state-conflict', 'held past the retention period: its report is gone; refuse it');
      // Published before the decision commits: a failed publish leaves it held, a retried one
      // is the same report (its key).
      await publishSubmission(this.publisher, this.topics, held.submissionKey, held.submission ?? {});
    });
  }

  @Endpoint(refuseHeldSubmission)
  async refuse(@Input() input: EndpointInput<typeof refuseHeldSubmission>, @Req() req: Request) {
    return this.decide(input.params.id, 'refused', input.body.note, req, async () => {});
  }

  private async decide(
    id: string,
    status: 'released' | 'refused',
    decisionNote: string | null,
    req: Request,
    before: (held: AgentSubmission) => Promise<void>,
  ) {
    const actor = auditActor(req);
    const unmasked = hasPermission(principalOf(req).role, 'reporters:unmasked');
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const held = await this.submissions.lock(id, manager);
      if (held === null || held.status === 'queued') throw notFound(`held submission ${id}`);
      if (held.status !== 'held')
        throw new ApiProblem('state-conflict', `the submission was already ${held.status} by ${held.decidedBy}`);
      await before(held);
      const decided = await this.submissions.decide(id, status, actor.name, decisionNote, manager);
      // Ids and the decision only: the audit log outlives the retention of reporters' numbers.
      await this.audit.append(
        actor,
        {
          action: status === 'released' ? 'submission.release' : 'submission.refuse',
          targetType: 'submission',
          targetId: id,
          before: { status: held.status, agentId: held.agentId, reportId: held.reportId },
          after: { status: decided.status, note: decisionNote },
        },
        manager,
      );
      return viewOf(decided, unmasked);
    });
  }
}
