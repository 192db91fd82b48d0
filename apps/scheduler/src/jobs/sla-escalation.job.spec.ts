import type { FlagState, FlagTransition } from '@abuse-monitor/domain';
import { topicNames } from '@abuse-monitor/messaging';
import { Metrics } from '@abuse-monitor/observability';
import type { EntityManager } from 'typeorm';
import type {
  DueFlag,
  JobsRepository,
  OutboxRelayService,
  Page,
  SlaBySeverity,
  Transactions,
} from '@abuse-monitor/persistence';
import type { JobContext } from '../job-runner';
import { schedulerEnvSchema } from '../scheduler.config';
import { SlaEscalationJob } from './sla-escalation.job';

const T0 = Date.parse('2026-12-03T00:00:00Z');

function flag(over: Partial<FlagState>): FlagState {
  return {
    reportedNumber: '+84912345678',
    kind: 'abuse',
    status: 'open',
    severity: 'low',
    ruleId: 'spam-burst',
    ruleVersion: 1,
    recommendedAction: 'warn',
    takenAction: null,
    openedAt: T0,
    lastChangeAt: T0,
    countsReportsAfter: null,
    assignee: null,
    possiblyCoordinated: false,
    sequence: 1,
    ...over,
  };
}

/** Flags already past their SLA, by id; the fake hands out pages of them as the query does. */
function fakeJobs(due: DueFlag[]) {
  const asked: { status: string; page: Page; now: Date; sla: SlaBySeverity }[] = [];
  const saved: { transitions: readonly FlagTransition[]; topic: string }[] = [];
  const tx = {} as EntityManager;
  const transactions = { run: <T>(work: (t: EntityManager) => Promise<T>) => work(tx) };
  const jobs = {
    async dueForEscalation(t: EntityManager, page: Page, status: string, now: Date, sla: SlaBySeverity) {
      expect(t).toBe(tx);
      asked.push({ status, page, now, sla });
      return due
        .filter((d) => d.state.status === status && BigInt(d.id) > BigInt(page.afterId))
        .slice(0, page.limit);
    },
    async saveTransitions(t: EntityManager, transitions: readonly FlagTransition[], topic: string) {
      expect(t).toBe(tx);
      saved.push({ transitions, topic });
    },
  };
  return {
    transactions: transactions as unknown as Transactions,
    jobs: jobs as unknown as JobsRepository,
    asked,
    saved,
  };
}

describe('SlaEscalationJob (fake repository)', () => {
  const config = schedulerEnvSchema.parse({ KAFKA_TOPIC_PREFIX: 'unit.' });
  const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
  const now = new Date(T0 + 3 * 86_400_000);

  function run(due: DueFlag[], batchSize: number) {
    const fake = fakeJobs(due);
    const relay = { wake: jest.fn() };
    const metrics = new Metrics('scheduler');
    const job = new SlaEscalationJob(
      fake.transactions,
      fake.jobs,
      relay as unknown as OutboxRelayService,
      metrics,
      config,
      topics,
    );
    const counted: number[] = [];
    const context: JobContext = { now, batchSize, count: (n) => counted.push(n) };
    return { ...fake, relay, metrics, counted, done: job.run(context) };
  }

  it('escalates open flags, marks high and capped ones overdue, and review flags overdue', async () => {
    const due: DueFlag[] = [
      { id: '1', state: flag({ severity: 'low' }), evidence: {}, newReporters: null },
      { id: '2', state: flag({ severity: 'high' }), evidence: {}, newReporters: null },
      {
        id: '3',
        state: flag({ severity: 'low' }),
        evidence: { cap: { severity: 'low' } },
        newReporters: null,
      },
      {
        id: '4',
        state: flag({ status: 'in_review', severity: 'medium', assignee: 'lan' }),
        evidence: {},
        newReporters: null,
      },
    ];
    const { asked, saved, relay, metrics, counted, done } = run(due, 2);
    await done;

    const changes = saved.flatMap((s) => s.transitions.map((t) => [t.state.severity, t.historyEntry.change]));
    expect(changes).toEqual([
      ['medium', 'escalated'],
      ['high', 'overdue'],
      ['low', 'overdue'],
      ['medium', 'overdue'],
    ]);
    expect(new Set(saved.map((s) => s.topic))).toEqual(new Set([topics.subscriberFlags]));
    // Pages of two, each after the last id seen, until a page comes back short.
    expect(asked.map((a) => [a.status, a.page.afterId])).toEqual([
      ['open', '0'],
      ['open', '2'],
      ['in_review', '0'],
    ]);
    expect(asked[0].sla).toEqual({ high: config.SLA_HIGH, medium: config.SLA_MEDIUM, low: config.SLA_LOW });
    expect(asked[2].sla).toEqual({
      high: config.SLA_REVIEW_HIGH,
      medium: config.SLA_REVIEW_MEDIUM,
      low: config.SLA_REVIEW_LOW,
    });
    expect(counted.reduce((a, b) => a + b, 0)).toBe(4);
    // After each of the three batches, all of which queued events: each leaves once committed.
    expect(relay.wake).toHaveBeenCalledTimes(3);
    const breaches = (await metrics.get('slaBreaches').get()).values.map((v) => [
      v.labels.severity,
      v.labels.stage,
      v.value,
    ]);
    expect(breaches).toEqual(
      expect.arrayContaining([
        // The metric counts an overdue mark in the queue as a high flag's breach, capped or not.
        ['low', 'queue', 1],
        ['high', 'queue', 2],
        ['medium', 'review', 1],
      ]),
    );
  });

  it('saves nothing and counts nothing when no flag is due', async () => {
    const { saved, counted, done } = run([], 10);
    await done;
    expect(saved.flatMap((s) => s.transitions)).toEqual([]);
    expect(counted).toEqual([0, 0]);
  });
});
