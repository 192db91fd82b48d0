import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, CronTime } from 'cron';
import { Clock } from '@abuse-monitor/runtime';
import {
  CampaignsJob,
  DailySummaryJob,
  ExpiryJob,
  RepeatOffendersJob,
  RetentionJob,
  SlaEscalationJob,
} from './jobs';
import { JobName, JobRunner, ScheduledJob } from './job-runner';
import { CLOCK, SCHEDULER_CONFIG, SchedulerConfig } from './scheduler.config';

/**
 * Starts each job on its cron schedule. A tick is named by the time it was scheduled for, not the
 * time the timer fired, so every replica names it the same and job_runs lets only one run it.
 */
@Injectable()
export class CronScheduleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Schedule');
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly runner: JobRunner,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sla: SlaEscalationJob,
    private readonly repeat: RepeatOffendersJob,
    private readonly expiry: ExpiryJob,
    private readonly retention: RetentionJob,
    private readonly summary: DailySummaryJob,
    private readonly campaigns: CampaignsJob,
  ) {}

  onApplicationBootstrap(): void {
    const schedules: [ScheduledJob, string][] = [
      [this.sla, this.config.SLA_ESCALATION_CRON],
      [this.repeat, this.config.REPEAT_OFFENDERS_CRON],
      [this.expiry, this.config.EXPIRY_CRON],
      [this.retention, this.config.RETENTION_CRON],
      [this.summary, this.config.DAILY_SUMMARY_CRON],
      [this.campaigns, this.config.CAMPAIGNS_CRON],
    ];
    for (const [job, expression] of schedules) this.schedule(job, expression);
  }

  async onModuleDestroy(): Promise<void> {
    for (const name of this.registry.getCronJobs().keys()) this.registry.getCronJob(name).stop();
    await Promise.allSettled([...this.running]);
  }

  private schedule(job: ScheduledJob, expression: string): void {
    const timeZone = this.config.SCHEDULER_TIME_ZONE;
    const time = new CronTime(expression, timeZone);
    let scheduledFor = time.getNextDateFrom(this.clock.now()).toJSDate();
    const cron = CronJob.from({
      cronTime: expression,
      timeZone,
      start: true,
      onTick: () => {
        const tick = scheduledFor;
        scheduledFor = time
          .getNextDateFrom(new Date(Math.max(this.clock.now().getTime(), tick.getTime())))
          .toJSDate();
        const work = this.runner.runTick(job, tick, this.clock.now()).catch((error: unknown) => {
          this.logger.error(`${job.name}: ${String(error)}`);
        });
        this.running.add(work);
        void work.finally(() => this.running.delete(work));
      },
    });
    this.registry.addCronJob(job.name satisfies JobName, cron);
    this.logger.log(`${job.name}: '${expression}' (${timeZone}), next at ${scheduledFor.toISOString()}`);
  }
}
