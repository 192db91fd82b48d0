import { Metrics } from '@abuse-monitor/observability';
import type { JobRunLog, JobRunOutcome, JobsRepository } from '@abuse-monitor/persistence';
import { JobContext, JobRunner, ScheduledJob } from './job-runner';
import { schedulerEnvSchema } from './scheduler.config';

interface Run {
  job: string;
  tickAt: string;
  outcome: 'running' | JobRunOutcome | 'abandoned';
  items: number;
  error?: string;
}

/** job_runs in memory, and a lock another replica may hold. */
function fakeJobs(options: { lockedElsewhere?: boolean; runs?: Run[] } = {}) {
  const runs: Run[] = options.runs ?? [];
  const log: JobRunLog = {
    async abandonRunning(job) {
      for (const r of runs) if (r.job === job && r.outcome === 'running') r.outcome = 'abandoned';
    },
    async start(job, tickAt) {
      if (runs.some((r) => r.job === job && r.tickAt === tickAt.toISOString())) return null;
      runs.push({ job, tickAt: tickAt.toISOString(), outcome: 'running', items: 0 });
      return String(runs.length - 1);
    },
    async finish(runId, outcome, items, error) {
      Object.assign(runs[Number(runId)], { outcome, items, error });
    },
  };
  const jobs = {
    async whileLocked<T>(_job: string, work: (runs: JobRunLog) => Promise<T>): Promise<T | 'locked'> {
      return options.lockedElsewhere ? 'locked' : work(log);
    },
  };
  return { jobs: jobs as unknown as JobsRepository, runs };
}

const job = (run: (context: JobContext) => Promise<void>): ScheduledJob => ({ name: 'expiry', run });
const tick = new Date('2026-12-03T07:15:00Z');

describe('JobRunner (fake repository)', () => {
  const config = schedulerEnvSchema.parse({ JOB_BATCH_SIZE: '50' });

  it('runs a tick once, records its items, and skips the same tick after', async () => {
    const { jobs, runs } = fakeJobs();
    const runner = new JobRunner(jobs, new Metrics('scheduler'), config);
    const counting = job(async (context) => {
      expect(context.batchSize).toBe(50);
      context.count(3);
      context.count(4);
    });
    expect(await runner.runTick(counting, tick, tick)).toEqual({ outcome: 'succeeded', items: 7 });
    expect(await runner.runTick(counting, tick, tick)).toEqual({ outcome: 'skipped', reason: 'already_ran' });
    expect(runs).toEqual([{ job: 'expiry', tickAt: tick.toISOString(), outcome: 'succeeded', items: 7 }]);
  });

  it('records a failure with the items done before it, and marks a dead replica’s run abandoned', async () => {
    const { jobs, runs } = fakeJobs({
      runs: [{ job: 'expiry', tickAt: '2026-12-03T06:15:00.000Z', outcome: 'running', items: 0 }],
    });
    const runner = new JobRunner(jobs, new Metrics('scheduler'), config);
    const failing = job(async (context) => {
      context.count(2);
      throw new Error('deadlock detected');
    });
    const result = await runner.runTick(failing, tick, tick);
    expect(result).toMatchObject({ outcome: 'failed', items: 2 });
    expect(runs.map((r) => [r.outcome, r.items])).toEqual([
      ['abandoned', 0],
      ['failed', 2],
    ]);
    expect(runs[1].error).toContain('deadlock detected');
  });

  it('skips the tick when another replica holds the lock, and counts the skip', async () => {
    const { jobs, runs } = fakeJobs({ lockedElsewhere: true });
    const metrics = new Metrics('scheduler');
    const runner = new JobRunner(jobs, metrics, config);
    const never = job(async () => {
      throw new Error('must not run');
    });
    expect(await runner.runTick(never, tick, tick)).toEqual({ outcome: 'skipped', reason: 'locked' });
    expect(runs).toEqual([]);
    const skipped = (await metrics.get('jobRuns').get()).values.find(
      (v) => v.labels.scheduled_job === 'expiry' && v.labels.outcome === 'skipped',
    );
    expect(skipped?.value).toBe(1);
  });
});
