import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { hasPermission } from '@abuse-monitor/domain';
import { principalOf } from '../auth/auth.guard';
import { anyNotationNumber } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';
import { FlagReadsService } from '../flags/flag-reads.service';
import { countersView, flagSummary, historyView, reportView } from '../flags/flag-views';

export const getSubscriber = defineEndpoint({
  operationId: 'getSubscriber',
  method: 'get',
  path: '/api/v1/subscribers/{number}',
  tag: 'subscribers',
  summary: 'What is known of a number: counters, its flag and history, recent reports, allowlisting',
  description:
    'The number may be written in any notation reports use (0912 345 678, 84912345678, +84912345678, ' +
    'pre-2018 11-digit numbers); it is normalised the same way. A number nobody reported answers with ' +
    'empty counters rather than 404.',
  permission: 'subscribers:read',
  params: z.object({ number: anyNotationNumber }).strict(),
  response: z.object({
    reportedNumber: z.string(),
    nationalNumber: z.string().nullable(),
    counters: countersView.nullable(),
    flag: flagSummary.nullable().describe('each number has at most one flag, reopened rather than replaced'),
    flagHistory: z.array(historyView),
    recentReports: z.array(reportView),
    allowlisted: z
      .object({ kind: z.string(), pattern: z.string(), reason: z.string(), owner: z.string() })
      .nullable(),
  }),
});

@Controller()
export class SubscribersController {
  constructor(private readonly reads: FlagReadsService) {}

  @Endpoint(getSubscriber)
  get(@Input() input: EndpointInput<typeof getSubscriber>, @Req() req: Request) {
    return this.reads.subscriber(
      input.params.number,
      hasPermission(principalOf(req).role, 'reporters:unmasked'),
    );
  }
}
