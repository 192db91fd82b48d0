import { Injectable } from '@nestjs/common';
import type { ReporterStanding } from '@abuse-monitor/domain';
import {
  AuditActor,
  AuditLogRepository,
  ReportersRepository,
  Transactions,
} from '@abuse-monitor/persistence';
import { encodeCursor } from '../http/common-schemas';
import { ApiProblem, notFound } from '../http/problem';
import { reporterOf } from './reporter-views';

/** Reporters by standing, and vouching for a suspicious one (audited). */
@Injectable()
export class ReportersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly reporters: ReportersRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  async page(standing: ReporterStanding, after: string, limit: number) {
    const rows = await this.reporters.page(standing, after, limit + 1);
    const page = rows.slice(0, limit);
    return {
      items: page.map(reporterOf),
      nextCursor: rows.length > limit ? encodeCursor({ reporter: page[page.length - 1].reporter }) : null,
    };
  }

  clear(reporter: string, note: string, actor: AuditActor) {
    return this.transactions.run(async (manager) => {
      const row = await this.reporters.lock(manager, reporter);
      if (row === null) throw notFound(`reporter ${reporter}`);
      if (row.standing !== 'suspicious')
        throw new ApiProblem('state-conflict', `the reporter is ${row.standing}, not suspicious`);
      const before = reporterOf(row);
      const after = reporterOf(await this.reporters.clear(manager, reporter, actor.name));
      await this.audit.append(
        actor,
        {
          action: 'reporter.clear',
          targetType: 'reporter',
          targetId: reporter,
          before,
          after: { ...after, note },
        },
        manager,
      );
      return after;
    });
  }
}
