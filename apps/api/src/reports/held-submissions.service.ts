import { Injectable } from '@nestjs/common';
import { AgentSubmission, AgentSubmissionsRepository, AuditActor, AuditLogRepository, Transactions } from '@abuse-monitor/persistence';
import { ApiProblem, notFound } from '../http/problem';
import { HeldSubmissionView, viewOf } from './held-submission-views';

export interface HeldDecision {
  status: 'released' | 'refused';
  note: string | null;
  actor: AuditActor;
}

/** Submissions held past an agent's quota, and the supervisor's decision on each (audited). */
@Injectable()
export class HeldSubmissionsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly submissions: AgentSubmissionsRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  async page(cursor: string | null, limit: number, unmasked: boolean) {
    const rows = await this.submissions.held(cursor, limit + 1, this.transactions.outside);
    const page = rows.slice(0, limit);
    return {
      items: page.map((held) => viewOf(held, unmasked)),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  /** `before` runs on the locked submission before the decision is stored (a release publishes it). */
  decide(
    id: string,
    { status, note, actor }: HeldDecision,
    unmasked: boolean,
    before: (held: AgentSubmission) => Promise<void>,
  ): Promise<HeldSubmissionView> {
    return this.transactions.run(async (manager) => {
      const held = await this.submissions.lock(id, manager);
      if (held === null || held.status === 'queued') throw notFound(`held submission ${id}`);
      if (held.status !== 'held')
        throw new ApiProblem('state-conflict', `the submission was already ${held.status} by ${held.decidedBy}`);
      await before(held);
      const decided = await this.submissions.decide(id, status, actor.name, note, manager);
      // Ids and the decision only: the audit log outlives the retention of reporters' numbers.
      await this.audit.append(
        actor,
        {
          action: status === 'released' ? 'submission.release' : 'submission.refuse',
          targetType: 'submission',
          targetId: id,
          before: { status: held.status, agentId: held.agentId, reportId: held.reportId },
          after: { status: decided.status, note },
        },
        manager,
      );
      return viewOf(decided, unmasked);
    });
  }
}
