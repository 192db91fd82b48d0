import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { REPORTER_STANDINGS } from '@abuse-monitor/domain';
import { anyNotationNumber, cursorOf, note, pageLimit, pageOf } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';
import { auditActor } from '../http/request-context';
import { ReportersService } from './reporters.service';
import { reporterView } from './reporter-views';

export const listReporters = defineEndpoint({
  operationId: 'listReporters',
  method: 'get',
  path: '/api/v1/reporters',
  tag: 'reporters',
  summary: 'Reporters by standing (default: suspicious, whose reports carry no weight)',
  permission: 'reporters:manage',
  query: z
    .object({
      standing: z.enum(REPORTER_STANDINGS).optional(),
      limit: pageLimit,
      cursor: cursorOf(z.object({ reporter: z.string().max(20) })),
    })
    .strict(),
  response: pageOf(reporterView),
});

export const clearReporter = defineEndpoint({
  operationId: 'clearReporter',
  method: 'post',
  path: '/api/v1/reporters/{number}/clear',
  tag: 'reporters',
  summary: 'Vouch for a suspicious reporter: their next reports carry weight again',
  description: 'Reports already stored keep the weight they were given, so past flags do not change.',
  permission: 'reporters:manage',
  params: z.object({ number: anyNotationNumber }).strict(),
  body: z.object({ note }).strict(),
  response: reporterView,
  problems: [404, 409],
});

@Controller()
export class ReportersController {
  constructor(private readonly reporters: ReportersService) {}

  @Endpoint(listReporters)
  list(@Input() input: EndpointInput<typeof listReporters>) {
    const { standing = 'suspicious', limit = 50, cursor } = input.query;
    return this.reporters.page(standing, cursor?.reporter ?? '', limit);
  }

  @Endpoint(clearReporter)
  clear(@Input() input: EndpointInput<typeof clearReporter>, @Req() req: Request) {
    return this.reporters.clear(input.params.number, input.body.note, auditActor(req));
  }
}
