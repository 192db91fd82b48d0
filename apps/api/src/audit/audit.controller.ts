import { Controller } from '@nestjs/common';
import { z } from 'zod';
import { AUDIT_TARGET_TYPES, AuditLogRepository, Transactions } from '@abuse-monitor/persistence';
import { cursorOf, encodeCursor, filterText, isoDateTime, pageLimit, pageOf } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';

const entryView = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actor: z.string(),
  actorRole: z.string().nullable(),
  actorTokenId: z.string().nullable(),
  action: z.string(),
  targetType: z.enum(AUDIT_TARGET_TYPES),
  targetId: z.string(),
  requestId: z.string().nullable(),
  method: z.string().nullable(),
  path: z.string().nullable(),
  clientIp: z.string().nullable(),
  sessionId: z
    .string()
    .nullable()
    .describe(
      'the console session that acted; null when the token itself was sent (a script) or a job acted',
    ),
  before: z.unknown(),
  after: z.unknown(),
});

export const listAudit = defineEndpoint({
  operationId: 'listAudit',
  method: 'get',
  path: '/api/v1/audit',
  tag: 'audit',
  summary: 'Who did what to which flag, rule, allowlist entry, reporter or token; newest first',
  description: 'The log is append-only: nothing, the API included, can change or delete an entry.',
  permission: 'audit:read',
  query: z
    .object({
      actor: filterText().optional(),
      action: z
        .string()
        .regex(/^[a-z_]+\.[a-z_]+$/, 'like flag.warn or rule.update')
        .optional(),
      targetType: z.enum(AUDIT_TARGET_TYPES).optional(),
      targetId: filterText(128).optional(),
      since: isoDateTime.optional(),
      until: isoDateTime.optional(),
      limit: pageLimit,
      cursor: cursorOf(z.object({ beforeId: z.string().regex(/^\d{1,18}$/) })),
    })
    .strict(),
  response: pageOf(entryView),
});

@Controller()
export class AuditController {
  constructor(
    private readonly transactions: Transactions,
    private readonly log: AuditLogRepository,
  ) {}

  @Endpoint(listAudit)
  async list(@Input() input: EndpointInput<typeof listAudit>) {
    const { limit = 50, cursor, ...filter } = input.query;
    const rows = await this.log.search(
      { ...filter, beforeId: cursor?.beforeId, limit: limit + 1 },
      this.transactions.outside,
    );
    const page = rows.slice(0, limit);
    return {
      items: page,
      nextCursor: rows.length > limit ? encodeCursor({ beforeId: page[page.length - 1].id }) : null,
    };
  }
}
