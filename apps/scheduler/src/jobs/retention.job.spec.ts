import type { JobsRepository, SessionsRepository, Transactions } from '@abuse-monitor/persistence';
import type { JobContext } from '../job-runner';
import { schedulerEnvSchema } from '../scheduler.config';
import { RetentionJob } from './retention.job';

type Step =
  | 'anonymiseReportsBefore'
  | 'anonymiseRejectionsBefore'
  | 'anonymiseRawSmsBefore'
  | 'anonymiseSubmissionsBefore'
  | 'anonymiseAgentSubmissionsBefore'
  | 'forgetReportersSilentSince'
  | 'forgetEndedBefore';

/** Rows waiting in each table; each call takes a batch of them, as the statements do. */
function fakeJobs(waiting: Record<Step, number>) {
  const calls: { step: Step; cutoff: Date; limit: number }[] = [];
  const walkedFrom: string[] = [];
  const take = (step: Step) => async (cutoff: Date, limit: number) => {
    calls.push({ step, cutoff, limit });
    const taken = Math.min(waiting[step], limit);
    waiting[step] -= taken;
    return taken;
  };
  const jobs = {
    anonymiseReportsBefore: take('anonymiseReportsBefore'),
    anonymiseRejectionsBefore: take('anonymiseRejectionsBefore'),
    anonymiseRawSmsBefore: take('anonymiseRawSmsBefore'),
    anonymiseSubmissionsBefore: take('anonymiseSubmissionsBefore'),
    anonymiseAgentSubmissionsBefore: take('anonymiseAgentSubmissionsBefore'),
    // Walks the primary key: says how many it deleted and the last key, where the next call goes on.
    forgetReportersSilentSince: async (cutoff: Date, limit: number, after: string) => {
      walkedFrom.push(after);
      const changed = await take('forgetReportersSilentSince')(cutoff, limit);
      return { changed, last: changed === 0 ? null : `reporter-${walkedFrom.length}` };
    },
  };
  const sessions = { forgetEndedBefore: take('forgetEndedBefore') };
  return {
    jobs: jobs as unknown as JobsRepository,
    sessions: sessions as unknown as SessionsRepository,
    calls,
    waiting,
    walkedFrom,
  };
}

const noTransactions = { outside: {} } as unknown as Transactions;

function context(now: Date, batchSize: number) {
  const counted: number[] = [];
  const ctx: JobContext = { now, batchSize, count: (n) => counted.push(n) };
  return { ctx, counted };
}

describe('RetentionJob (fake repository)', () => {
  const config = schedulerEnvSchema.parse({ RETENTION_PERIOD: '90d' });
  const now = new Date('2026-12-03T03:30:00Z');

  it('anonymises every table before the cutoff, a batch at a time, until a batch comes back short', async () => {
    const { jobs, sessions, calls, waiting, walkedFrom } = fakeJobs({
      anonymiseReportsBefore: 25,
      anonymiseRejectionsBefore: 10,
      anonymiseRawSmsBefore: 0,
      anonymiseSubmissionsBefore: 3,
      anonymiseAgentSubmissionsBefore: 1,
      forgetReportersSilentSince: 17,
      forgetEndedBefore: 4,
    });
    const { ctx, counted } = context(now, 10);

    await new RetentionJob(jobs, sessions, noTransactions, config).run(ctx);

    expect(Object.values(waiting)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(calls.map((c) => c.step)).toEqual([
      'anonymiseReportsBefore',
      'anonymiseReportsBefore',
      'anonymiseReportsBefore',
      'anonymiseRejectionsBefore',
      'anonymiseRejectionsBefore',
      'anonymiseRawSmsBefore',
      'anonymiseSubmissionsBefore',
      'anonymiseAgentSubmissionsBefore',
      'forgetReportersSilentSince',
      'forgetReportersSilentSince',
      'forgetEndedBefore',
    ]);
    const personalData = calls.filter((c) => c.step !== 'forgetEndedBefore');
    expect(new Set(personalData.map((c) => c.cutoff.toISOString()))).toEqual(
      new Set(['2026-09-04T03:30:00.000Z']),
    );
    // Dead sessions go after a day, not after the retention period.
    expect(calls.find((c) => c.step === 'forgetEndedBefore')?.cutoff.toISOString()).toBe(
      '2026-12-02T03:30:00.000Z',
    );
    expect(calls.every((c) => c.limit === 10)).toBe(true);
    // Silent reporters are found along the primary key, each batch after the last one's last key.
    expect(walkedFrom).toEqual(['', 'reporter-1']);
    expect(counted.reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('stops at the first failing batch, having counted the batches before it', async () => {
    const { jobs, sessions } = fakeJobs({
      anonymiseReportsBefore: 12,
      anonymiseRejectionsBefore: 0,
      anonymiseRawSmsBefore: 0,
      anonymiseSubmissionsBefore: 0,
      anonymiseAgentSubmissionsBefore: 0,
      forgetReportersSilentSince: 0,
      forgetEndedBefore: 0,
    });
    jobs.anonymiseRejectionsBefore = () => Promise.reject(new Error('lock timeout'));
    const { ctx, counted } = context(now, 10);

    await expect(new RetentionJob(jobs, sessions, noTransactions, config).run(ctx)).rejects.toThrow(
      'lock timeout',
    );
    expect(counted).toEqual([10, 2]);
  });
});
