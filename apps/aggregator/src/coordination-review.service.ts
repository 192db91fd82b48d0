import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { coordinationShare, isPossiblyCoordinated, LONGEST_WINDOW_SECONDS } from '@abuse-monitor/domain';
import {
  AssessmentToSave,
  FlagAssessmentsRepository,
  PendingAssessment,
  Transactions,
} from '@abuse-monitor/persistence';
import { describeError } from '@abuse-monitor/runtime';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './aggregator.config';

const LONGEST_WINDOW_MS = LONGEST_WINDOW_SECONDS * 1000;

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

  /**
   * Assesses up to 200 flags changed since their last assessment, in a few statements for all of
   * them and with no flag locked while it reads (decision 0073); returns how many were saved. A
   * flag another transaction holds, or changed since it was read, is left for the next review.
   */
  async reviewPending(): Promise<number> {
    const db = this.transactions.outside;
    const pending = await this.assessments.pending(db, this.config.COORDINATION_REASSESS_AFTER_MS, 200);
    if (pending.length === 0) return 0;
    const now = Date.now();
    const since = (flag: PendingAssessment) => (flag.countedAt ?? now) - LONGEST_WINDOW_MS;
    const reportersOf = await this.assessments.weightedReporters(db, pending);
    // Each reporter is read from the earliest window among its flags, not every reporter from the
    // earliest of the review: one long-open flag would widen the read for all.
    const sinceByReporter = new Map<string, Date>();
    for (const flag of pending) {
      const from = since(flag);
      for (const reporter of reportersOf.get(flag.id) ?? []) {
        if (from < (sinceByReporter.get(reporter)?.getTime() ?? Infinity))
          sinceByReporter.set(reporter, new Date(from));
      }
    }
    const reported = await this.assessments.reportedSince(db, sinceByReporter);
    const judged = pending.map((flag) =>
      this.assess(flag, reportersOf.get(flag.id) ?? [], reported, since(flag)),
    );
    const saved = await this.assessments.save(db, judged);
    for (const { flag, assessment } of judged) {
      if (!saved.has(flag.id) || assessment.coordinated === flag.possiblyCoordinated) continue;
      this.logger.warn(
        `flag on ${flag.reportedNumber} ${assessment.coordinated ? 'marked' : 'no longer'} possibly coordinated (share ${assessment.share.toFixed(2)})`,
      );
    }
    return saved.size;
  }

  private assess(
    flag: PendingAssessment,
    reporters: readonly string[],
    reported: ReadonlyMap<string, ReadonlyMap<string, number>>,
    since: number,
  ): AssessmentToSave & { flag: PendingAssessment } {
    // Each reporter's other numbers within this flag's window, as if read for this flag alone.
    const others = new Map(
      reporters.map((reporter) => {
        const numbers = [...(reported.get(reporter) ?? [])];
        return [reporter, new Set(numbers.filter(([, latest]) => latest > since).map(([number]) => number))];
      }),
    );
    const share = coordinationShare(reporters, others, {
      minGroupSize: 3,
      minSharedNumbers: 2,
      reportedNumber: flag.reportedNumber,
    });
    const coordinated = isPossiblyCoordinated(share, this.config.COORDINATION_THRESHOLD);
    const unchanged =
      flag.assessed &&
      coordinated === flag.possiblyCoordinated &&
      // As stored: coordination_share is a real, so 4/7 comes back as 0.5714286.
      flag.coordinationShare !== null &&
      Math.fround(share) === Math.fround(flag.coordinationShare);
    return { flag, assessment: { coordinated, share, reporters: reporters.length }, changed: !unchanged };
  }
}
