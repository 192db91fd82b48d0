import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FlagCommandResult, FlagState, FlagTransition } from '@abuse-monitor/domain';
import { TopicNames } from '@abuse-monitor/messaging';
import { Metrics } from '@abuse-monitor/observability';
import { flagFromRow, OutboxRelayService, saveTransitions } from '@abuse-monitor/persistence';
import type { JobContext, JobName, ScheduledJob } from '../job-runner';
import { SCHEDULER_CONFIG, SCHEDULER_TOPICS, SchedulerConfig } from '../scheduler.config';

export type FlagRowWithExtras = Parameters<typeof flagFromRow>[0] & { id: string } & Record<string, unknown>;

export interface FlagSelection {
  /**
   * Selects due flags as `f` with `f.id > $1`, ordered by f.id, limited to $2 rows and locked with
   * FOR UPDATE OF f SKIP LOCKED (a flag the aggregator or a person holds is taken next tick);
   * further parameters from $3.
   */
  sql: string;
  params: unknown[];
}

/**
 * Applies a scheduler command to every flag a query selects, batch by batch: each batch's flags,
 * their history rows and their events (through the outbox) are one transaction. Ids only go up,
 * so a flag the command refuses is not selected again in the same run.
 */
export async function transitionFlags(
  dataSource: DataSource,
  metrics: Metrics,
  topics: TopicNames,
  context: JobContext,
  selection: FlagSelection,
  command: (flag: FlagState, row: FlagRowWithExtras) => FlagCommandResult,
): Promise<FlagTransition[]> {
  const all: FlagTransition[] = [];
  let lastId = '0';
  for (;;) {
    const stopTimer = metrics.get('dbTransactionDuration').startTimer({ operation: 'job_flag_batch' });
    const { selected, changed } = await dataSource
      .transaction(async (manager) => {
        const rows: FlagRowWithExtras[] = await manager.query(selection.sql, [
          lastId,
          context.batchSize,
          ...selection.params,
        ]);
        const transitions = rows.flatMap((row) => {
          const result = command(flagFromRow(row), row);
          return result.ok ? [result.transition] : [];
        });
        await saveTransitions(manager, transitions, topics.subscriberFlags);
        if (rows.length > 0) lastId = rows[rows.length - 1].id;
        return { selected: rows.length, changed: transitions };
      })
      .finally(() => stopTimer());
    for (const t of changed)
      metrics.get('flagChanges').inc({ change: t.historyEntry.change, severity: t.state.severity });
    context.count(changed.length);
    all.push(...changed);
    if (selected < context.batchSize) return all;
  }
}

/** A job that changes flags: what it needs, and its batches followed by a wake-up of the outbox relay. */
@Injectable()
export abstract class FlagJob implements ScheduledJob {
  abstract readonly name: JobName;

  constructor(
    protected readonly dataSource: DataSource,
    private readonly relay: OutboxRelayService,
    protected readonly metrics: Metrics,
    @Inject(SCHEDULER_CONFIG) protected readonly config: SchedulerConfig,
    @Inject(SCHEDULER_TOPICS) private readonly topics: TopicNames,
  ) {}

  abstract run(context: JobContext): Promise<void>;

  protected async changeFlags(
    context: JobContext,
    selection: FlagSelection,
    command: (flag: FlagState, row: FlagRowWithExtras) => FlagCommandResult,
  ): Promise<FlagTransition[]> {
    const changed = await transitionFlags(
      this.dataSource,
      this.metrics,
      this.topics,
      context,
      selection,
      command,
    );
    this.relay.wake();
    return changed;
  }
}
