import { randomUUID } from 'node:crypto';
import { Controller, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import {
  CATEGORIES,
  DEFAULT_MAX_DESCRIPTION_LENGTH,
  REPORT_KINDS,
  validateSubmittedReport,
} from '@abuse-monitor/domain';
import { Publisher, submittedReportId, TopicNames } from '@abuse-monitor/messaging';
import { AgentSubmissionsRepository, Transactions } from '@abuse-monitor/persistence';
import type { ApiConfig } from '../api.config';
import { API_CONFIG, API_TOPICS } from '../api.tokens';
import { principalOf } from '../auth/auth.guard';
import { isoDateTime } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';
import { ApiProblem, invalidRequest } from '../http/problem';
import { publishSubmission } from './publish-submission';

// Agents' keys are scoped by the agent (see below); with an agent name of up to 64 characters, the
// stored key stays within the 128 characters ingest accepts.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,63}$/;

export const submitReport = defineEndpoint({
  operationId: 'submitReport',
  method: 'post',
  path: '/api/v1/reports',
  tag: 'reports',
  summary: 'A hotline agent submits a report taken by phone',
  description:
    'Validated like every report, then queued on reports.submitted; the answer carries the id the report ' +
    'will have. Send an Idempotency-Key header (or an idempotencyKey field): the same key twice is one ' +
    'report. Without one, the API makes a key and returns it. The agent is the token, never a field. ' +
    'Past the agent\'s hourly quota a submission is held for a supervisor (status `held`), not dropped; ' +
    'a submission a supervisor refused answers 409.',
  permission: 'reports:submit',
  body: z
    .object({
      reporter: z.string().max(64).describe('the caller, any notation'),
      reportedNumber: z.string().max(64).describe('the number reported, any notation'),
      kind: z.enum(REPORT_KINDS),
      category: z.enum(CATEGORIES).optional(),
      description: z.string().max(DEFAULT_MAX_DESCRIPTION_LENGTH).optional(),
      submittedAt: isoDateTime.optional().describe('when the call was taken; default: when it is processed'),
      idempotencyKey: z.string().regex(IDEMPOTENCY_KEY, '1 to 63 printable ASCII characters').optional(),
    })
    .strict(),
  response: z.object({
    reportId: z.string(),
    idempotencyKey: z.string(),
    status: z
      .enum(['queued', 'held'])
      .describe('held: past the agent\'s hourly quota, it waits for a supervisor to release or refuse it'),
  }),
  status: 202,
  problems: [409, 503],
});

@Controller()
export class ReportsController {
  constructor(
    private readonly publisher: Publisher,
    private readonly transactions: Transactions,
    private readonly submissions: AgentSubmissionsRepository,
    @Inject(API_TOPICS) private readonly topics: TopicNames,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Endpoint(submitReport)
  async submit(@Input() input: EndpointInput<typeof submitReport>, @Req() req: Request) {
    const header = req.header('idempotency-key');
    if (header !== undefined && !IDEMPOTENCY_KEY.test(header))
      throw invalidRequest([{ in: 'header', field: 'Idempotency-Key', message: '1 to 63 printable ASCII characters' }]);
    if (header !== undefined && input.body.idempotencyKey !== undefined && header !== input.body.idempotencyKey)
      throw invalidRequest([
        { in: 'header', field: 'Idempotency-Key', message: 'differs from the idempotencyKey field' },
      ]);
    const idempotencyKey = header ?? input.body.idempotencyKey ?? randomUUID();
    const agentId = principalOf(req).name;
    // Two agents' call logs may both have a CALL-1001: each agent's keys are its own.
    const scopedKey = `${agentId}:${idempotencyKey}`;
    const submission = { ...input.body, agentId, idempotencyKey: scopedKey };
    const checked = validateSubmittedReport(submission, {
      now: new Date(),
      maxAgeMs: this.config.HOTLINE_MAX_REPORT_AGE,
    });
    if (!checked.ok)
      throw invalidRequest(checked.fieldErrors.map((e) => ({ in: 'body', field: e.field, message: e.message })));
    const reportId = submittedReportId(scopedKey);
    const takenAt = submission.submittedAt ?? new Date().toISOString();
    // The same key again keeps its first outcome: a held submission is not queued by retrying it.
    const { submission: admitted } = await this.transactions.run((manager) =>
      this.submissions.admit(
        // Kept with the time the call was entered, which a release days later must not change.
        { submissionKey: scopedKey, agentId, reportId, submission: { ...submission, submittedAt: takenAt } },
        this.config.API_AGENT_SUBMISSIONS_PER_HOUR,
        manager,
      ),
    );
    if (admitted.status === 'refused')
      throw new ApiProblem('state-conflict', 'a supervisor refused this submission; it will not be counted');
    if (admitted.status === 'held') return { reportId, idempotencyKey, status: 'held' as const };
    await publishSubmission(this.publisher, this.topics, scopedKey, submission);
    return { reportId, idempotencyKey, status: 'queued' as const };
  }
}
