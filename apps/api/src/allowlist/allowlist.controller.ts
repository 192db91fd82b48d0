import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { ALLOWLIST_ENTRY_KINDS } from '@abuse-monitor/domain';
import { cursorOf, MAX_PAGE_SIZE, numericId, pageLimit, pageOf, typedText } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input, requiredVersion } from '../http/input.decorator';
import { auditActor } from '../http/request-context';
import { AllowlistService } from './allowlist.service';
import { allowlistExpiry, entryView } from './allowlist-views';

const reason = typedText(500);
const owner = typedText(100).describe('who asked for the entry and answers for it');
const entryParams = z.object({ id: numericId }).strict();

export const listAllowlist = defineEndpoint({
  operationId: 'listAllowlist',
  method: 'get',
  path: '/api/v1/allowlist',
  tag: 'allowlist',
  summary: 'Numbers and prefixes that are never flagged (their reports are still counted)',
  description: `By pattern, 50 at a time (\`limit\`: 1 to ${MAX_PAGE_SIZE}); follow \`nextCursor\` for the rest, null after the last page.`,
  permission: 'allowlist:read',
  query: z
    .object({
      limit: pageLimit,
      cursor: cursorOf(
        z.object({ pattern: z.string().max(64), kind: z.enum(ALLOWLIST_ENTRY_KINDS) }).strict(),
      ),
    })
    .strict(),
  response: pageOf(entryView),
});

export const createAllowlistEntry = defineEndpoint({
  operationId: 'createAllowlistEntry',
  method: 'post',
  path: '/api/v1/allowlist',
  tag: 'allowlist',
  summary: 'Allowlist a number or a prefix; applies from the next batch of reports',
  permission: 'allowlist:write',
  body: z
    .object({
      kind: z.enum(ALLOWLIST_ENTRY_KINDS),
      pattern: z.string().min(1).max(64),
      reason,
      owner,
      expiresAt: allowlistExpiry.nullable().optional().describe('default: until removed'),
    })
    .strict(),
  response: entryView,
  status: 201,
  problems: [409],
});

export const updateAllowlistEntry = defineEndpoint({
  operationId: 'updateAllowlistEntry',
  method: 'patch',
  path: '/api/v1/allowlist/{id}',
  tag: 'allowlist',
  summary: 'Change the reason, owner or end of an entry',
  permission: 'allowlist:write',
  params: entryParams,
  body: z
    .object({
      reason: reason.optional(),
      owner: owner.optional(),
      expiresAt: allowlistExpiry.nullable().optional().describe('null: until removed; absent: unchanged'),
      version: z.number().int().positive().optional(),
    })
    .strict(),
  response: entryView,
  versioned: true,
  problems: [404, 409],
});

export const deleteAllowlistEntry = defineEndpoint({
  operationId: 'deleteAllowlistEntry',
  method: 'delete',
  path: '/api/v1/allowlist/{id}',
  tag: 'allowlist',
  summary: 'Remove an entry; the numbers it covered can be flagged from the next batch',
  permission: 'allowlist:write',
  params: entryParams,
  response: entryView,
  versioned: true,
  problems: [404, 409],
});

@Controller()
export class AllowlistController {
  constructor(private readonly allowlist: AllowlistService) {}

  @Endpoint(listAllowlist)
  list(@Input() input: EndpointInput<typeof listAllowlist>) {
    const { limit = 50, cursor } = input.query;
    return this.allowlist.page(cursor ?? null, limit);
  }

  @Endpoint(createAllowlistEntry)
  create(@Input() input: EndpointInput<typeof createAllowlistEntry>, @Req() req: Request) {
    return this.allowlist.create(input.body, auditActor(req));
  }

  @Endpoint(updateAllowlistEntry)
  update(@Input() input: EndpointInput<typeof updateAllowlistEntry>, @Req() req: Request) {
    return this.allowlist.update(input.params.id, requiredVersion(input), input.body, auditActor(req));
  }

  @Endpoint(deleteAllowlistEntry)
  delete(@Input() input: EndpointInput<typeof deleteAllowlistEntry>, @Req() req: Request) {
    return this.allowlist.remove(input.params.id, requiredVersion(input), auditActor(req));
  }
}
