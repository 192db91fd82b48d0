import { Controller, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { hasPermission } from '@abuse-monitor/domain';
import { Publisher, TopicNames } from '@abuse-monitor/messaging';
import { API_TOPICS } from '../api.tokens';
import { principalOf } from '../auth/auth.guard';
import { note, numericId, pageLimit, pageOf } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';
import { ApiProblem } from '../http/problem';
import { auditActor } from '../http/request-context';
import { heldSubmissionView } from './held-submission-views';
import { HeldSubmissionsService } from './held-submissions.service';
import { publishSubmission } from './publish-submission';

const DEFAULT_PAGE = 50;

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
    private readonly held: HeldSubmissionsService,
    private readonly publisher: Publisher,
    @Inject(API_TOPICS) private readonly topics: TopicNames,
  ) {}

  @Endpoint(listHeldSubmissions)
  list(@Input() input: EndpointInput<typeof listHeldSubmissions>, @Req() req: Request) {
    return this.held.page(input.query.cursor ?? null, input.query.limit ?? DEFAULT_PAGE, unmaskedFor(req));
  }

  @Endpoint(releaseHeldSubmission)
  release(@Input() input: EndpointInput<typeof releaseHeldSubmission>, @Req() req: Request) {
    const decision = { status: 'released' as const, note: input.body.note ?? null, actor: auditActor(req) };
    return this.held.decide(input.params.id, decision, unmaskedFor(req), async (held) => {
      if (held.submission?.anonymised === true)
        throw new ApiProblem('state-conflict', 'held past the retention period: its report is gone; refuse it');
      // Published before the decision commits: a failed publish leaves it held, a retried one
      // is the same report (its key).
      await publishSubmission(this.publisher, this.topics, held.submissionKey, held.submission ?? {});
    });
  }

  @Endpoint(refuseHeldSubmission)
  refuse(@Input() input: EndpointInput<typeof refuseHeldSubmission>, @Req() req: Request) {
    const decision = { status: 'refused' as const, note: input.body.note, actor: auditActor(req) };
    return this.held.decide(input.params.id, decision, unmaskedFor(req), async () => {});
  }
}

const unmaskedFor = (req: Request) => hasPermission(principalOf(req).role, 'reporters:unmasked');
