import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FixedClock } from '@abuse-monitor/runtime';
import { JobRunner, RunOutcome, ScheduledJob } from '../../apps/scheduler/src/job-runner';
import { schedulerEnvSchema } from '../../apps/scheduler/src/scheduler.config';
import { SchedulerModule } from '../../apps/scheduler/src/scheduler.module';
import { IngestFixture } from './ingest-fixture';

/** The scheduler's jobs in this process, on a clock the test sets, against the fixture's database and topics. */
export class SchedulerUnderTest {
  private constructor(
    readonly app: INestApplicationContext,
    readonly clock: FixedClock,
  ) {}

  static async start(f: IngestFixture, env: Record<string, string> = {}): Promise<SchedulerUnderTest> {
    const config = schedulerEnvSchema.parse({ ...f.env, LOG_LEVEL: 'warn', ...env });
    const clock = new FixedClock(new Date());
    const app = await NestFactory.createApplicationContext(
      SchedulerModule.register(config, { schedule: false, clock, metricsPort: 0 }),
      {
        logger: ['error'],
      },
    );
    await app.init();
    return new SchedulerUnderTest(app, clock);
  }

  job<T extends ScheduledJob>(type: new (...args: never[]) => T): T {
    return this.app.get(type);
  }

  /** Runs the job once as of `at` (its tick is `at` too). */
  run(type: new (...args: never[]) => ScheduledJob, at: Date): Promise<RunOutcome> {
    this.clock.set(at);
    return this.app.get(JobRunner).runTick(this.app.get(type), at, at);
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
