import type { FlagState, FlagTransition } from '@abuse-monitor/domain';
import { topicNames } from '@abuse-monitor/messaging';
import { Metrics } from '@abuse-monitor/observability';
import type { EntityManager } from 'typeorm';
import type {
  DueFlag,
  JobsRepository,
  OutboxRelayService,
  Page,
  Transactions,
} from '@abuse-monitor/persistence';
import type { JobContext } from '../job-runner';
import { schedulerEnvSchema } from '../scheduler.config';
import { ExpiryJob } from './expiry.job';

const T0 = Date.parse('2026-12-03T00:00:00Z');

const lowFlag = (reportedNumber: string): FlagState => ({
  reportedNumber,
  kind: 'abuse',
  status: 'open',
  severity: 'low',
  ruleId: 'spam-burst',
  ruleVersion: 1,
  recommendedAction: 'watch',
  takenAction: null,
  openedAt: T0,
  lastChangeAt: T0,
  countsReportsAfter: null,
  assignee: null,
  possiblyCoordinated: false,
  sequence: 1,
});

/** Quiet low flags by id, watches whose date came, and counters waiting to be compacted, in memory. */
function fakeJobs(due: DueFlag[], quietCounters: number, watched: DueFlag[] = []) {
  const asked: { page: Page; now: Date; quietMs: number }[] = [];
  const saved: FlagTransition[] = [];
  const compactions: number[] = [];
  const walkedFrom: string[] = [];
  const quietNumbers = Array.from({ length: quietCounters }, (_, i) => `+8498765432${i}`);
  const tx = {} as EntityManager;
  const jobs = {
    async dueForExpiry(_tx: EntityManager, page: Page, now: Date, quietMs: number) {
      asked.push({ page, now, quietMs });
      return due.filter((d) => BigInt(d.id) > BigInt(page.afterId)).slice(0, page.limit);
    },
    async watchesEnded(_tx: EntityManager, page: Page) {
      return watched.filter((d) => BigInt(d.id) > BigInt(page.afterId)).slice(0, page.limit);
    },
    async saveTransitions(_tx: EntityManager, transitions: readonly FlagTransition[]) {
      saved.push(...transitions);
    },
    // Numbers 1..quietCounters, walked in key order from just after `after`.
    async compactQuietCounters(_now: Date, limit: number, after: string) {
      const keys = quietNumbers.filter((n) => n > after).slice(0, limit);
      walkedFrom.push(after);
      compactions.push(keys.length);
      return { changed: keys.length, last: keys.at(-1) ?? null };
    },
  };
  const transactions = { run: <T>(work: (t: EntityManager) => Promise<T>) => work(tx) };
  return {
    jobs: jobs as unknown as JobsRepository,
    transactions: transactions as unknown as Transactions,
    asked,
    saved,
    compactions,
    walkedFrom,
  };
}

describe('ExpiryJob (fake repository)', () => {
  const config = schedulerEnvSchema.parse({ KAFKA_TOPIC_PREFIX: 'unit.' });
  const now = new Date(T0 + 30 * 86_400_000);

  async function run(due: DueFlag[], quietCounters: number, batchSize: number, watched: DueFlag[] = []) {
    const fake = fakeJobs(due, quietCounters, watched);
    const relay = { wake: jest.fn() };
    const job = new ExpiryJob(
      fake.transactions,
      fake.jobs,
      relay as unknown as OutboxRelayService,
      new Metrics('scheduler'),
      config,
      topicNames(config.KAFKA_TOPIC_PREFIX),
    );
    const counted: number[] = [];
    const context: JobContext = { now, batchSize, count: (n) => counted.push(n) };
    await job.run(context);
    return { ...fake, relay, counted };
  }

  it('expires every quiet low flag, page by page, saying how long the number was quiet', async () => {
    const due = ['1', '2', '3'].map((id) => ({
      id,
      state: lowFlag(`+8491234567${id}`),
      evidence: {},
      newReporters: null,
    }));
    const { asked, saved, relay } = await run(due, 0, 2);
    expect(saved.map((t) => [t.state.reportedNumber, t.state.status, t.historyEntry.change])).toEqual([
      ['+84912345671', 'expired', 'expired'],
      ['+84912345672', 'expired', 'expired'],
      ['+84912345673', 'expired', 'expired'],
    ]);
    const quietDays = Math.round(config.EXPIRY_QUIET_PERIOD / 86_400_000);
    expect(saved[0].historyEntry.note).toBe(`no new report for ${quietDays} days`);
    expect(asked.map((a) => a.page.afterId)).toEqual(['0', '2']);
    expect(asked[0]).toMatchObject({ now, quietMs: config.EXPIRY_QUIET_PERIOD });
    // After each of the two batches: each one's events leave once it has committed.
    expect(relay.wake).toHaveBeenCalledTimes(2);
  });

  it('compacts quiet counters a batch at a time until a batch comes back short', async () => {
    const { saved, compactions, counted, relay } = await run([], 5, 2);
    expect(saved).toEqual([]);
    // Nothing changed, so nothing waits in the outbox: the relay is left asleep.
    expect(relay.wake).not.toHaveBeenCalled();
    expect(compactions).toEqual([2, 2, 1]);
    expect(counted.slice(-3)).toEqual([2, 2, 1]);
  });

  it('walks the counters once, each batch going on after the last number the one before changed', async () => {
    const { walkedFrom } = await run([], 5, 2);
    expect(walkedFrom).toEqual(['', '+84987654321', '+84987654323']);
  });

  it('reopens a watched flag whose date came, saying until when it was watched', async () => {
    const until = T0 + 7 * 86_400_000;
    const watchedFlag = { ...lowFlag('+84912345679'), status: 'watched' as const };
    const { saved, relay } = await run([], 0, 2, [
      { id: '9', state: watchedFlag, evidence: {}, newReporters: null, watchUntil: until },
    ]);
    expect(saved.map((t) => [t.state.reportedNumber, t.state.status, t.historyEntry.change])).toEqual([
      ['+84912345679', 'open', 'reopened'],
    ]);
    expect(saved[0].historyEntry.note).toContain(new Date(until).toISOString());
    // Reopened, the flag is news to provisioning: its event waits in the outbox.
    expect(saved[0].event).not.toBeNull();
    expect(relay.wake).toHaveBeenCalledTimes(1);
  });
});
