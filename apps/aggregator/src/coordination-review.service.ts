import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { coordinationShare, isPossiblyCoordinated, LONGEST_WINDOW_SECONDS } from '@abuse-monitor/domain';
import { EntityManager } from 'typeorm';
import { FlagAssessmentsRepository, PendingAssessment, Transactions } from '@abuse-monitor/persistence';
import { describeError } from '@abuse-monitor/runtime';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './aggregator.config';

/**
 * Judges whether a live flag's weight comes mostly from reporters who keep reporting the same
 * other numbers together. That judgment reads other numbers' reports, which other partitions may
 * not have stored yet, so it runs apart from the flag's own timeline (whose events must not depend
 * on partition timing), on flags changed since their last assessment and, because other numbers'
 * reports keep arriving, again on every waiting flag after COORDINATION_REASSESS_AFTER_MS. Each
 * judgement that differs from the last is recorded in flag_assessments. It marks a flag for a person
 * to judge; it never changes severity or events.
 */
@Injectable()
export class CoordinationReviewService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CoordinationReviewService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly transactions: Transactions,
    private readonly assessments: FlagAssessmentsRepository,
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.reviewPending()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`coordination review failed: ${describeError(error)}`))
        .finally(() => (this.running = null));
    }, this.config.COORDINATION_REVIEW_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Assesses up to 200 flags changed since their last assessment; returns how many. */
  async reviewPending(): Promise<number> {
    return this.transactions.run(async (tx) => {
      const pending = await this.assessments.pending(tx, this.config.COORDINATION_REASSESS_AFTER_MS, 200);
      for (const flag of pending) await this.assess(flag, tx);
      return pending.length;
    });
  }

  private async assess(flag: PendingAssessment, tx: EntityManager): Promise<void> {
    const reporters = await this.assessments.weightedReporters(tx, flag.reportIds);
    const at = flag.countedAt ?? Date.now();
    const others = await this.assessments.otherNumbersByReporter(
      tx,
      reporters,
      new Date(at - LONGEST_WINDOW_SECONDS * 1000),
    );
    const share = coordinationShare(reporters, others, {
      minGroupSize: 3,
      minSharedNumbers: 2,
      reportedNumber: flag.reportedNumber,
    });
    const coordinated = isPossiblyCoordinated(share, this.config.COORDINATION_THRESHOLD);
    const unchanged =
      flag.assessed && coordinated === flag.possiblyCoordinated && share === flag.coordinationShare;
    await this.assessments.record(tx, flag, { coordinated, share, reporters: reporters.length }, !unchanged);
    if (coordinated !== flag.possiblyCoordinated) {
      this.logger.warn(
        `flag on ${flag.reportedNumber} ${coordinated ? 'marked' : 'no longer'} possibly coordinated (share ${share.toFixed(2)})`,
      );
    }
  }
}
