import type { DailySummaryRepository, DayActivity } from '@abuse-monitor/persistence';
import type { JobContext } from '../job-runner';
import { schedulerEnvSchema } from '../scheduler.config';
import { DailySummaryJob } from './daily-summary.job';

const QUIET_DAY: DayActivity = { reports: [], rejections: [], flagChanges: [], actionDelaysMs: [] };

/** Stored summaries by day; regenerating one stores what the job's summarize gives. */
function fakeSummaries(storedDays: string[]) {
  const stored = new Map<string, unknown>(storedDays.map((d) => [d, {}]));
  const generated: string[] = [];
  const repository: Pick<DailySummaryRepository, 'lastDayBefore' | 'regenerate'> = {
    async lastDayBefore(day) {
      const before = [...stored.keys()].filter((d) => d < day).sort();
      return before.length ? before[before.length - 1] : null;
    },
    async regenerate(date, timeZone, summarize) {
      const summary = summarize(QUIET_DAY);
      expect(timeZone).toBe('Asia/Ho_Chi_Minh');
      stored.set(date, summary);
      generated.push(date);
      return summary;
    },
  };
  return { summaries: repository as DailySummaryRepository, generated, stored };
}

function runAt(iso: string, storedDays: string[]) {
  const fake = fakeSummaries(storedDays);
  const job = new DailySummaryJob(fake.summaries, schedulerEnvSchema.parse({}));
  let items = 0;
  const context: JobContext = { now: new Date(iso), batchSize: 500, count: (n) => (items += n) };
  return { ...fake, done: job.run(context).then(() => items) };
}

describe('DailySummaryJob (fake repository)', () => {
  it("summarises yesterday in the summary's time zone", async () => {
    // 17:15 UTC on 1 December is 00:15 on 2 December in Ho Chi Minh City.
    const { generated, done } = runAt('2026-12-01T17:15:00Z', ['2026-11-30']);
    expect(await done).toBe(1);
    expect(generated).toEqual(['2026-12-01']);
  });

  it('catches up the days a missed tick left out, oldest first', async () => {
    const { generated, done } = runAt('2026-12-01T17:15:00Z', ['2026-11-27']);
    expect(await done).toBe(4);
    expect(generated).toEqual(['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01']);
  });

  it('catches up a week at most, and only yesterday when nothing was ever stored', async () => {
    const long = runAt('2026-12-01T17:15:00Z', ['2026-10-01']);
    expect(await long.done).toBe(7);
    expect(long.generated[0]).toBe('2026-11-25');
    const first = runAt('2026-12-01T17:15:00Z', []);
    expect(await first.done).toBe(1);
    expect(first.generated).toEqual(['2026-12-01']);
  });

  it('stores the summary of the day it was asked for', async () => {
    const { stored, done } = runAt('2026-12-01T17:15:00Z', ['2026-11-30']);
    await done;
    expect(stored.get('2026-12-01')).toMatchObject({ date: '2026-12-01', timeZone: 'Asia/Ho_Chi_Minh' });
  });
});
