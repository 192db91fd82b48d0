import { Inject, Injectable } from '@nestjs/common';
import { FlagCommandResult, FlagTransition } from '@abuse-monitor/domain';
import { TopicNames } from '@abuse-monitor/messaging';
import { Metrics } from '@abuse-monitor/observability';
import { EntityManager } from 'typeorm';
import { DueFlag, JobsRepository, OutboxRelayService, Page, Transactions } from '@abuse-monitor/persistence';
import type { JobContext, JobName, ScheduledJob } from '../job-runner';
import { SCHEDULER_CONFIG, SCHEDULER_TOPICS, SchedulerConfig } from '../scheduler.config';

/** One of JobsRepository's due-flag queries, for a page of flags, in the batch's transaction. */
export type DueFlags = (tx: EntityManager, page: Page) => Promise<DueFlag[]>;

/**
 * Applies a scheduler command to every flag a query selects, batch by batch: each batch's flags,
 * their history rows and their events (through the outbox) are one transaction. Ids only go up,
 * so a flag the command refuses is not selected again in the same run. `committed` runs after each
 * batch's commit, with what it changed: its events leave then, not after the last batch.
 */
export async function transitionFlags(
  transactions: Transactions,
  jobs: JobsRepository,
  metrics: Metrics,
  topics: TopicNames,
  context: JobContext,
  select: DueFlags,
  command: (flag: DueFlag) => FlagCommandResult,
  committed: (changed: readonly FlagTransition[]) => void = () => undefined,
): Promise<FlagTransition[]> {
  const all: FlagTransition[] = [];
  let afterId = '0';
  for (;;) {
    const stopTimer = metrics.get('dbTransactionDuration').startTimer({ operation: 'job_flag_batch' });
    const { selected, changed } = await transactions
      .run(async (tx) => {
        const due = await select(tx, { afterId, limit: context.batchSize });
        const transitions = due.flatMap((flag) => {
          const result = command(flag);
          return result.ok ? [result.transition] : [];
        });
        await jobs.saveTransitions(tx, transitions, topics.subscriberFlags);
        if (due.length > 0) afterId = due[due.length - 1].id;
        return { selected: due.length, changed: transitions };
      })
      .finally(() => stopTimer());
    committed(changed);
    for (const t of changed)
      metrics.get('flagChanges').inc({ change: t.historyEntry.change, severity: t.state.severity });
    context.count(changed.length);
    all.push(...changed);
    if (selected < context.batchSize) return all;
  }
}

/** A job that changes flags: what it needs, and its batches, each followed by a wake-up of the outbox relays. */
@Injectable()
export abstract class FlagJob implements ScheduledJob {
  abstract readonly name: JobName;

  constructor(
    private readonly transactions: Transactions,
    protected readonly jobs: JobsRepository,
    private readonly relay: OutboxRelayService,
    protected readonly metrics: Metrics,
    @Inject(SCHEDULER_CONFIG) protected readonly config: SchedulerConfig,
    @Inject(SCHEDULER_TOPICS) private readonly topics: TopicNames,
  ) {}

  abstract run(context: JobContext): Promise<void>;

  protected async changeFlags(
    context: JobContext,
    select: DueFlags,
    command: (flag: DueFlag) => FlagCommandResult,
  ): Promise<FlagTransition[]> {
    return transitionFlags(
      this.transactions,
      this.jobs,
      this.metrics,
      this.topics,
      context,
      select,
      command,
      // Only a transition with an event queued an outbox row for the relays to publish.
      (changed) => {
        if (changed.some((t) => t.event !== null)) this.relay.wake();
      },
    );
  }
}
