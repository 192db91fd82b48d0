import { Injectable } from '@nestjs/common';
import {
  escalateFlag,
  markReviewOverdue,
  SEVERITIES,
  Severity,
  severityCeilingOf,
} from '@abuse-monitor/domain';
import { JobContext } from '../job-runner';
import { FlagJob } from './flag-batches';

const below = (severity: Severity): Severity => SEVERITIES[Math.max(SEVERITIES.indexOf(severity) - 1, 0)];

/**
 * An open flag nobody claimed within its severity's SLA goes up one severity (and its SLA restarts
 * at the shorter one); a high one, or one its evidence caps (decision 0027), is marked overdue for
 * supervisors instead. A flag claimed and not
 * decided within its severity's review SLA is marked overdue too, and stays with its reviewer.
 */
@Injectable()
export class SlaEscalationJob extends FlagJob {
  readonly name = 'sla-escalation' as const;

  async run(context: JobContext): Promise<void> {
    const at = context.now.getTime();
    const { SLA_HIGH, SLA_MEDIUM, SLA_LOW, SLA_REVIEW_HIGH, SLA_REVIEW_MEDIUM, SLA_REVIEW_LOW } = this.config;
    const changed = await this.changeFlags(
      context,
      (tx, page) =>
        this.jobs.dueForEscalation(tx, page, 'open', context.now, {
          high: SLA_HIGH,
          medium: SLA_MEDIUM,
          low: SLA_LOW,
        }),
      (flag) => escalateFlag(flag.state, { at, ceiling: severityCeilingOf(flag.evidence) }),
    );
    // The severity a flag had when its SLA ran out: escalated ones had the one below.
    for (const t of changed) {
      const before =
        t.historyEntry.change === 'overdue'
          ? 'high'
          : t.historyEntry.change === 'escalated'
            ? below(t.state.severity)
            : null;
      if (before) this.metrics.get('slaBreaches').inc({ severity: before, stage: 'queue' });
    }

    const undecided = await this.changeFlags(
      context,
      (tx, page) =>
        this.jobs.dueForEscalation(tx, page, 'in_review', context.now, {
          high: SLA_REVIEW_HIGH,
          medium: SLA_REVIEW_MEDIUM,
          low: SLA_REVIEW_LOW,
        }),
      (flag) => markReviewOverdue(flag.state, { at }),
    );
    for (const t of undecided)
      this.metrics.get('slaBreaches').inc({ severity: t.state.severity, stage: 'review' });
  }
}
