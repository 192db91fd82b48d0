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

/**
 * Without arguments: runs every job on its schedule until stopped.
 * `run JOB [--at ISO-8601]`: runs one job once, as of now or of the given moment, recorded in job_runs.
 * `run daily-summary --date YYYY-MM-DD`: (re)generates the summary of that day and prints it.
 */
const USAGE = `usage: npm run -s scheduler -- [run ${JOB_NAMES.join('|')} [--at ISO-8601] [--date YYYY-MM-DD]]`;
const config = loadConfigOrExit(schedulerEnvSchema);
const logger = new JsonLogger('scheduler', config.LOG_LEVEL);
Logger.overrideLogger(logger);

const { parse, fail: failWithUsage } = commandLine(USAGE);
// Annotated, so that TypeScript knows nothing after a failure runs.
const fail: (message: string) => never = failWithUsage;

function readArguments() {
  return parse({ allowPositionals: true, options: { at: { type: 'string' }, date: { type: 'string' } } });
}

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

const { positionals, values } = readArguments();
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
