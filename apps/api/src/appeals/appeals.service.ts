import { Inject, Injectable } from '@nestjs/common';
import {
  appealFlag,
  AppealChannel,
  AppealDecision,
  appealStatusAfter,
  FlagCommandResult,
  FlagState,
  FlagTransition,
  liftAction,
  upholdAppeal,
} from '@abuse-monitor/domain';
import { TopicNames } from '@abuse-monitor/messaging';
import { Metrics } from '@abuse-monitor/observability';
import {
  AppealRow,
  AppealsRepository,
  AuditActor,
  AuditLogRepository,
  flagFromRow,
  FlagsRepository,
  OutboxRelayService,
  Transactions,
} from '@abuse-monitor/persistence';
import type { ApiConfig } from '../api.config';
import { API_CONFIG, API_TOPICS } from '../api.tokens';
import { AllowlistOnDismiss, FlagCommandsService } from '../flags/flag-commands.service';
import { ApiProblem, notFound } from '../http/problem';

export interface AppealDecisionOutcome {
  appeal: AppealRow;
  flag: FlagState;
  flagId: string;
  historySequence: number;
  event: { eventId: string; type: string; topic: string } | null;
  allowlisted: { created: boolean; until: string | null } | null;
}

/**
 * Appeals against actions (decisions 0064 and 0065). Each command is one transaction that locks
 * what it changes (the appeal, then its flag: always in that order), and stores the appeal, the
 * flag's history row, the event provisioning gets (a reversal's 'lifted', through the outbox) and
 * the audit entries together.
 */
@Injectable()
export class AppealsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly appeals: AppealsRepository,
    private readonly flags: FlagsRepository,
    private readonly audit: AuditLogRepository,
    private readonly relay: OutboxRelayService,
    private readonly metrics: Metrics,
    private readonly flagCommands: FlagCommandsService,
    @Inject(API_TOPICS) private readonly topics: TopicNames,
    @Inject(API_CONFIG) private readonly config: Pick<ApiConfig, 'APPEAL_SLA'>,
  ) {}

  /** An agent records a subscriber's appeal against the action in force on the flag. */
  async record(
    flagId: string,
    details: { statement: string; channel: AppealChannel },
    actor: AuditActor,
  ): Promise<AppealRow> {
    const receivedAt = new Date();
    const done = await this.transactions.run(async (manager) => {
      const row = await this.flags.lockById(manager, flagId);
      if (row === null) throw notFound(`flag ${flagId}`);
      const flag = flagFromRow(row);
      if (flag.status !== 'actioned' || flag.takenAction === null)
        throw new ApiProblem(
          'flag-not-actioned',
          `flag ${flagId} is ${flag.status}: only an action in force (a warning, a block, a suspension) can be appealed`,
        );
      const appeal = await this.appeals.insert(manager, {
        flagId,
        reportedNumber: flag.reportedNumber,
        statement: details.statement,
        channel: details.channel,
        appealedAction: flag.takenAction,
        recordedBy: actor.name,
        receivedAt,
        dueAt: new Date(receivedAt.getTime() + this.config.APPEAL_SLA),
      });
      if (appeal === null)
        throw new ApiProblem(
          'appeal-pending',
          `flag ${flagId} already has a pending appeal: add to it by telling the supervisor, not by a second one`,
        );
      const transition = this.applied(
        appealFlag(flag, {
          actor: actor.name,
          at: receivedAt.getTime(),
          note: `appeal ${appeal.id} by ${details.channel} against ${flag.takenAction}`,
        }),
      );
      await this.flags.saveTransitions(manager, [transition], this.topics.subscriberFlags);
      await this.audit.append(
        actor,
        { action: 'appeal.record', targetType: 'appeal', targetId: appeal.id, before: null, after: appeal },
        manager,
      );
      return { appeal, transition };
    });
    this.metrics.get('appealsReceived').inc({ channel: details.channel });
    this.metrics.get('flagChanges').inc({ change: 'appealed', severity: done.transition.state.severity });
    return done.appeal;
  }

  /**
   * A supervisor upholds the action or reverses it. Reversing lifts the action on the flag (a
   * 'lifted' event for provisioning) and may allowlist the number for a while, so the same reports
   * do not flag it again at once.
   */
  async decide(
    appealId: string,
    version: number,
    decision: AppealDecision,
    note: string,
    allowlist: AllowlistOnDismiss | null,
    actor: AuditActor,
  ): Promise<AppealDecisionOutcome> {
    const decidedAt = new Date();
    const outcome = await this.transactions.run(async (manager): Promise<AppealDecisionOutcome> => {
      const before = await this.appeals.lockById(manager, appealId);
      if (before === null) throw notFound(`appeal ${appealId}`);
      if (before.version !== version)
        throw new ApiProblem(
          'version-conflict',
          `the appeal is at version ${before.version}, you sent ${version}: reload it and decide again`,
          { currentVersion: before.version },
        );
      if (before.status !== 'pending')
        throw new ApiProblem(
          'state-conflict',
          `appeal ${appealId} was already ${before.status} by ${before.decided_by ?? 'someone'}`,
        );
      const flagRow = await this.flags.lockById(manager, before.flag_id);
      if (flagRow === null) throw notFound(`flag ${before.flag_id}`);
      const flag = flagFromRow(flagRow);
      const command = { actor: actor.name, at: decidedAt.getTime(), note: `appeal ${appealId}: ${note}` };
      const transition = this.applied(
        decision === 'uphold' ? upholdAppeal(flag, command) : liftAction(flag, command),
      );
      await this.flags.saveTransitions(manager, [transition], this.topics.subscriberFlags);
      const appeal = await this.appeals.decide(manager, appealId, {
        status: appealStatusAfter(decision),
        decidedBy: actor.name,
        decidedAt,
        note,
      });
      await this.audit.append(
        actor,
        { action: `appeal.${decision}`, targetType: 'appeal', targetId: appealId, before, after: appeal },
        manager,
      );
      if (decision === 'reverse')
        await this.audit.append(
          actor,
          {
            action: 'flag.lift',
            targetType: 'flag',
            targetId: before.flag_id,
            before: flag,
            after: { ...transition.state, appealId },
          },
          manager,
        );
      const allowlisted =
        decision === 'reverse' && allowlist
          ? await this.flagCommands.allowlistNumber(transition.state, allowlist, actor, manager)
          : null;
      return {
        appeal,
        flag: transition.state,
        flagId: before.flag_id,
        historySequence: transition.historyEntry.sequence,
        event: transition.event
          ? {
              eventId: transition.event.eventId,
              type: transition.event.type,
              topic: this.topics.subscriberFlags,
            }
          : null,
        allowlisted,
      };
    });
    if (outcome.event) this.relay.wake();
    const late = outcome.appeal.due_at.getTime() < decidedAt.getTime();
    this.metrics.get('appealsDecided').inc({ outcome: outcome.appeal.status, late: String(late) });
    this.metrics
      .get('flagChanges')
      .inc({ change: decision === 'uphold' ? 'appeal_upheld' : 'lifted', severity: outcome.flag.severity });
    return outcome;
  }

  private applied(result: FlagCommandResult): FlagTransition {
    if (!result.ok) throw new ApiProblem('state-conflict', result.refusal.message);
    return result.transition;
  }
}
