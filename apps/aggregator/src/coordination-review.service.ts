import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { coordinationShare, isPossiblyCoordinated, LONGEST_WINDOW_SECONDS } from '@abuse-monitor/domain';
import { ReportStore } from '@abuse-monitor/persistence';
import { describeError } from '@abuse-monitor/runtime';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './aggregator.config';

interface PendingFlag {
  id: string;
  reported_number: string;
  possibly_coordinated: boolean;
  report_ids: string[] | null;
  counted_at: string | null;
  coordination_share: number | null;
  assessed: boolean;
}

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
  private readonly reports = new ReportStore();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
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
    return this.dataSource.transaction(async (manager) => {
      const pending: PendingFlag[] = await manager.query(
        `SELECT id, reported_number, possibly_coordinated, coordination_share,
                coordination_assessed_at IS NOT NULL AS assessed,
                ARRAY(SELECT jsonb_array_elements_text(evidence -> 'reportIds')) AS report_ids,
                evidence -> 'counts' ->> 'at' AS counted_at
           FROM flags
          WHERE status IN ('open', 'in_review')
            AND (coordination_assessed_at IS NULL OR coordination_assessed_at < updated_at
                 OR coordination_assessed_at < now() - make_interval(secs => $1::bigint / 1000.0))
          ORDER BY coordination_assessed_at NULLS FIRST, id LIMIT 200 FOR UPDATE SKIP LOCKED`,
        [this.config.COORDINATION_REASSESS_AFTER_MS],
      );
      for (const flag of pending) await this.assess(flag, manager);
      return pending.length;
    });
  }

  private async assess(flag: PendingFlag, manager: EntityManager): Promise<void> {
    const ids = flag.report_ids ?? [];
    const rows: { reporter: string }[] = ids.length
      ? await manager.query(
          `SELECT DISTINCT reporter FROM reports WHERE report_id = ANY($1::uuid[]) AND weighted`,
          [ids],
        )
      : [];
    const reporters = rows.map((r) => r.reporter);
    const at = flag.counted_at ? Number(flag.counted_at) : Date.now();
    const others = await this.reports.otherNumbersByReporter(
      reporters,
      new Date(at - LONGEST_WINDOW_SECONDS * 1000),
      manager,
    );
    const share = coordinationShare(reporters, others, {
      minGroupSize: 3,
      minSharedNumbers: 2,
      reportedNumber: flag.reported_number,
    });
    const coordinated = isPossiblyCoordinated(share, this.config.COORDINATION_THRESHOLD);
    await manager.query(
      `UPDATE flags SET possibly_coordinated = $2, coordination_share = $3, coordination_assessed_at = now() WHERE id = $1`,
      [flag.id, coordinated, share],
    );
    // A record of each judgement that differs from the last one, not of every periodic look.
    const unchanged =
      flag.assessed && coordinated === flag.possibly_coordinated && share === flag.coordination_share;
    if (!unchanged)
      await manager.query(
        `INSERT INTO flag_assessments (flag_id, reported_number, possibly_coordinated, coordination_share, reporters)
         VALUES ($1, $2, $3, $4, $5)`,
        [flag.id, flag.reported_number, coordinated, share, reporters.length],
      );
    if (coordinated !== flag.possibly_coordinated) {
      this.logger.warn(
        `flag on ${flag.reported_number} ${coordinated ? 'marked' : 'no longer'} possibly coordinated (share ${share.toFixed(2)})`,
      );
    }
  }
}
