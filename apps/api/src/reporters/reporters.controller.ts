import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { REPORTER_STANDINGS } from '@abuse-monitor/domain';
import { AuditLog } from '@abuse-monitor/persistence';
import { anyNotationNumber, cursorOf, encodeCursor, note, pageLimit, pageOf } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';
import { ApiProblem, notFound } from '../http/problem';
import { auditActor } from '../http/request-context';

const reporterView = z.object({
  reporter: z.string(),
  standing: z.enum(REPORTER_STANDINGS),
  suspiciousSince: z.string().nullable(),
  clearedAt: z.string().nullable(),
  clearedBy: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  totalReports: z.number().int(),
});

interface ReporterRow {
  reporter: string;
  standing: z.input<typeof reporterView>['standing'];
  suspicious_since: Date | null;
  cleared_at: Date | null;
  cleared_by: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  total_reports: string;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const reporterOf = (r: ReporterRow): z.input<typeof reporterView> => ({
  reporter: r.reporter,
  standing: r.standing,
  suspiciousSince: iso(r.suspicious_since),
  clearedAt: iso(r.cleared_at),
  clearedBy: r.cleared_by,
  firstSeenAt: r.first_seen_at.toISOString(),
  lastSeenAt: r.last_seen_at.toISOString(),
  totalReports: Number(r.total_reports),
});

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
  private readonly audit = new AuditLog();

  constructor(private readonly dataSource: DataSource) {}

  @Endpoint(listReporters)
  async list(@Input() input: EndpointInput<typeof listReporters>) {
    const { standing = 'suspicious', limit = 50, cursor } = input.query;
    const rows: ReporterRow[] = await this.dataSource.query(
      `SELECT * FROM reporters WHERE standing = $1 AND reporter > $2 ORDER BY reporter LIMIT $3`,
      [standing, cursor?.reporter ?? '', limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map(reporterOf),
      nextCursor: rows.length > limit ? encodeCursor({ reporter: page[page.length - 1].reporter }) : null,
    };
  }

  @Endpoint(clearReporter)
  async clear(@Input() input: EndpointInput<typeof clearReporter>, @Req() req: Request) {
    const actor = auditActor(req);
    return this.dataSource.transaction(async (manager) => {
      const rows: ReporterRow[] = await manager.query(
        `SELECT * FROM reporters WHERE reporter = $1 FOR UPDATE`,
        [input.params.number],
      );
      if (rows.length === 0) throw notFound(`reporter ${input.params.number}`);
      if (rows[0].standing !== 'suspicious')
        throw new ApiProblem('state-conflict', `the reporter is ${rows[0].standing}, not suspicious`);
      // TypeORM answers an UPDATE with [rows, affected count], not the rows alone.
      const [updated]: [ReporterRow[], number] = await manager.query(
        `UPDATE reporters SET standing = 'cleared', cleared_at = now(), cleared_by = $2 WHERE reporter = $1 RETURNING *`,
        [input.params.number, actor.name],
      );
      const before = reporterOf(rows[0]);
      const after = reporterOf(updated[0]);
      await this.audit.append(
        actor,
        {
          action: 'reporter.clear',
          targetType: 'reporter',
          targetId: input.params.number,
          before,
          after: { ...after, note: input.body.note },
        },
        manager,
      );
      return after;
    });
  }
}
