import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { PROTECTED_ORIGINATOR_KINDS } from '@abuse-monitor/domain';
import {
  anyNotationNumber,
  cursorOf,
  e164,
  MAX_PAGE_SIZE,
  numericId,
  pageLimit,
  pageOf,
  typedText,
} from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { auditActor } from '../http/request-context';
import { protectedOriginatorView } from './protected-originator-views';
import { ProtectedOriginatorsService } from './protected-originators.service';

const TAG = 'protected originators';

export const listProtectedOriginators = defineEndpoint({
  operationId: 'listProtectedOriginators',
  method: 'get',
  path: '/api/v1/protected-originators',
  tag: TAG,
  summary:
    "Banks', authorities' and the operator's own numbers: their flags say probable spoofing, never block",
  description:
    `By number, 50 at a time (\`limit\`: 1 to ${MAX_PAGE_SIZE}); follow \`nextCursor\` for the rest, null after the last page. ` +
    'Reports about these numbers are accepted and counted; when a rule fires, the flag is of the kind `spoofing` ' +
    'and recommends `investigate_origin` (decision 0057).',
  permission: 'allowlist:read',
  query: z.object({ limit: pageLimit, cursor: cursorOf(z.object({ number: e164 }).strict()) }).strict(),
  response: pageOf(protectedOriginatorView),
});

export const createProtectedOriginator = defineEndpoint({
  operationId: 'createProtectedOriginator',
  method: 'post',
  path: '/api/v1/protected-originators',
  tag: TAG,
  summary: 'Protect a number; its next flag is a spoofing flag, and no one may act against it from now on',
  permission: 'allowlist:write',
  body: z
    .object({
      number: anyNotationNumber.describe('in any notation people write; stored in E.164'),
      name: typedText(100).describe('who owns the number, as people know it'),
      kind: z.enum(PROTECTED_ORIGINATOR_KINDS),
      reason: typedText(500),
    })
    .strict(),
  response: protectedOriginatorView,
  status: 201,
  problems: [409],
});

export const deleteProtectedOriginator = defineEndpoint({
  operationId: 'deleteProtectedOriginator',
  method: 'delete',
  path: '/api/v1/protected-originators/{id}',
  tag: TAG,
  summary: "Stop protecting a number; its flags become abuse flags at the rules' next change",
  permission: 'allowlist:write',
  params: z.object({ id: numericId }).strict(),
  response: protectedOriginatorView,
  versioned: true,
  problems: [404, 409],
});

@Controller()
export class ProtectedOriginatorsController {
  constructor(private readonly originators: ProtectedOriginatorsService) {}

  @Endpoint(listProtectedOriginators)
  list(@Input() input: EndpointInput<typeof listProtectedOriginators>) {
    const { limit = 50, cursor } = input.query;
    return this.originators.page(cursor?.number ?? null, limit);
  }

  @Endpoint(createProtectedOriginator)
  create(@Input() input: EndpointInput<typeof createProtectedOriginator>, @Req() req: Request) {
    return this.originators.create(input.body, auditActor(req));
  }

  @Endpoint(deleteProtectedOriginator)
  delete(@Input() input: EndpointInput<typeof deleteProtectedOriginator>, @Req() req: Request) {
    return this.originators.remove(input.params.id, requiredVersion(input), auditActor(req));
  }
}
