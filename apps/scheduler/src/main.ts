import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { commandLine, FixedClock, runUntilSignalled } from '@abuse-monitor/runtime';
import { JsonLogger } from '@abuse-monitor/observability';
import { JOB_NAMES, JobName, JobRunner, ScheduledJob } from './job-runner';
import { DailySummaryJob, JOBS } from './jobs';
import { schedulerEnvSchema } from './scheduler.config';
import { SchedulerModule } from './scheduler.module';

const { parse, fail: failWithUsage } = commandLine({
  name: 'scheduler',
  summary: 'runs the scheduled jobs on their schedules, or one job once',
  usage: ['', `run ${JOB_NAMES.join('|')} [--at ISO-8601]`, 'run daily-summary --date YYYY-MM-DD'],
  description: [
    'Without arguments: runs every job on its schedule until stopped (SIGTERM), in any number of',
    'replicas: each tick runs once across them. With run: runs one job once, as of now or of the',
    'given moment, recorded in job_runs, and prints its outcome as JSON (exit 1 if it failed).',
  ],
  commands: { run: `run one job once: ${JOB_NAMES.join(', ')}` },
  options: {
    at: {
      type: 'string',
      value: 'ISO-8601',
      description: 'run as of this moment, with its zone (default: now)',
    },
    date: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'daily-summary: (re)generate and print that day',
    },
  },
  environment: {
    names: Object.keys(schedulerEnvSchema.shape),
    notes: { DATABASE_URL: 'PostgreSQL', KAFKA_BROKERS: 'flag events go out on subscriber.flags' },
  },
  notes: [
    'Schedules are cron expressions with seconds first; docs/operations.md, "Scheduled jobs", lists the defaults.',
  ],
  examples: [
    'abuse-monitor scheduler',
    'abuse-monitor scheduler run expiry --at 2026-12-01T00:00:00+07:00',
    'abuse-monitor scheduler run daily-summary --date 2026-11-28',
  ],
  allowPositionals: true,
});
// Annotated, so that TypeScript knows nothing after a failure runs.
const fail: (message: string) => never = failWithUsage;
const { positionals, values } = parse();

const config = loadConfigOrExit(schedulerEnvSchema);
const logger = new JsonLogger('scheduler', config.LOG_LEVEL);
Logger.overrideLogger(logger);

async function runOnce(jobName: JobName, at: Date, date: string | undefined): Promise<number> {
  const app = await NestFactory.createApplicationContext(
    SchedulerModule.register(config, { schedule: false, clock: new FixedClock(at), metricsPort: 0 }),
    { logger },
  );
  await app.init();
  try {
    if (date !== undefined) {
      process.stdout.write(`${JSON.stringify(await app.get(DailySummaryJob).generate(date), null, 2)}\n`);
      return 0;
    }
    const job = JOBS.map((type) => app.get<ScheduledJob>(type)).find((j) => j.name === jobName);
    if (!job) throw new Error(`no job ${jobName}`);
    const result = await app.get(JobRunner).runTick(job, at, at);
    process.stdout.write(`${JSON.stringify({ job: jobName, at: at.toISOString(), ...result })}\n`);
    return result.outcome === 'failed' ? 1 : 0;
  } finally {
    await app.close();
  }
}

if (positionals.length === 0) {
  void runUntilSignalled('scheduler', async () => {
    const app = await NestFactory.createApplicationContext(
      SchedulerModule.register(config, { schedule: true }),
      {
        logger,
      },
    );
    await app.init();
    return app;
  });
} else {
  const [command, jobName, ...extra] = positionals;
  if (command !== 'run' || extra.length > 0) fail('unknown command');
  if (!(JOB_NAMES as readonly string[]).includes(jobName)) fail(`unknown job ${jobName ?? ''}`);
  const at = values.at === undefined ? new Date() : new Date(values.at);
  if (Number.isNaN(at.getTime()) || (values.at !== undefined && !/[zZ]|[+-]\d\d:\d\d$/.test(values.at)))
    fail('--at must be an ISO 8601 date-time with a time zone');
  if (values.date !== undefined && (jobName !== 'daily-summary' || !/^\d{4}-\d{2}-\d{2}$/.test(values.date)))
    fail('--date YYYY-MM-DD goes with the daily-summary job');
  runOnce(jobName as JobName, at, values.date).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `scheduler run failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
