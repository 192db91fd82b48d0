import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  actOnFlag,
  allowlistEntryFor,
  assignFlag,
  DEFAULT_WATCH_MS,
  dismissFlag,
  FlagCommandResult,
  FlagDecision,
  FlagState,
  FlagTransition,
  watchFlag,
  isRole,
  mayTakeAction,
  mayUndoDecision,
  reopenFlag,
  TAKEN_ACTIONS,
  TakenAction,
} from '@abuse-monitor/domain';
import { TopicNames } from '@abuse-monitor/messaging';
import {
  AllowlistRepository,
  AuditActor,
  AuditLogRepository,
  FlagDecisionsRepository,
  flagFromRow,
  FlagRow,
  FlagsRepository,
  OutboxRelayService,
  ProtectedOriginatorsRepository,
  Transactions,
} from '@abuse-monitor/persistence';
import { Metrics } from '@abuse-monitor/observability';
import { ApiProblem, notFound } from '../http/problem';
import { API_TOPICS } from '../api.tokens';

export const FLAG_ACTIONS = [
  'warn',
  'block_outgoing',
  'block_both',
  'suspend',
  'refer_police',
  'dismiss',
  'reopen',
] as const;
export type FlagAction = (typeof FLAG_ACTIONS)[number];

/** What one decision did, for its answer (decision 0046). */
export interface DecisionOutcome {
  before: FlagState;
  after: FlagState;
  historySequence: number;
  /** The event provisioning gets through the outbox; null when the change is history only. */
  event: { eventId: string; type: string; topic: string } | null;
  /** With an allowlist request: true when the entry was made, false when it already existed. */
  allowlisted: { created: boolean; until: string | null } | null;
  /** Set when the flag is now watched: when it comes back to the queue without news. */
  watchUntil: number | null;
}

/** The audit actions of the decisions that close a flag, which reopening undoes. */
const CLOSING_ACTIONS = ['dismiss', ...TAKEN_ACTIONS].map((action) => `flag.${action}`);

/** Who acts, and whether they may take over a flag someone else is reviewing (supervisors). */
export interface FlagCaller {
  actor: AuditActor;
  mayOverride: boolean;
}

/** What a command did, for the metrics and the outbox relay once its transaction committed. */
interface AppliedCommand {
  published: boolean;
  change: string;
  severity: string;
  openedAt: Date | null;
  before: FlagState;
  transition: FlagTransition;
}

export interface AllowlistOnDismiss {
  reason: string;
  owner: string;
  /** ISO 8601; absent or null: until a supervisor removes the entry. */
  until?: string | null;
}

/**
 * What people do to flags. Each command is one transaction: lock the flag, check that it is still
 * the version the person read (a stale one is a 409, so two people never overwrite each other),
 * apply the domain's transition, and store the flag, its history row, the event for provisioning
 * (through the outbox) and the audit entry together.
 */
@Injectable()
export class FlagCommandsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly flags: FlagsRepository,
    private readonly allowlist: AllowlistRepository,
    private readonly audit: AuditLogRepository,
    private readonly relay: OutboxRelayService,
    private readonly metrics: Metrics,
    @Inject(API_TOPICS) private readonly topics: TopicNames,
    private readonly decisions: FlagDecisionsRepository,
    private readonly protectedOriginators: ProtectedOriginatorsRepository,
  ) {}

  assign(flagId: string, version: number, assignee: string, note: string | null, caller: FlagCaller) {
    return this.run(flagId, version, caller, 'flag.assign', (flag, at) =>
      assignFlag(flag, { assignee, actor: caller.actor.name, at, note }),
    );
  }

  async act(
    flagId: string,
    version: number,
    action: FlagAction,
    note: string,
    allowlist: AllowlistOnDismiss | null,
    caller: FlagCaller,
  ) {
    const outcome = await this.run(
      flagId,
      version,
      caller,
      `flag.${action}`,
      (flag, at) => {
        const command = { analyst: caller.actor.name, at, note };
        if (action === 'dismiss') return dismissFlag(flag, command);
        if (action === 'reopen') return reopenFlag(flag, command);
        return actOnFlag(flag, { ...command, action: action satisfies TakenAction });
      },
      allowlist
        ? async (flag, manager) => {
            await this.allowlistNumber(flag, allowlist, caller.actor, manager);
          }
        : undefined,
      (flag, manager) => this.guardDecision(flagId, flag, action, caller, manager),
    );
    this.metrics.get('flagActions').inc({ action });
    if (outcome.openedAt !== null && action !== 'reopen')
      this.metrics.get('timeToAction').observe({ action }, Math.max(Date.now() - outcome.openedAt, 0) / 1000);
    return outcome.transition.state;
  }

  /**
   * One decision with its reason code (decision 0046), answering everything it did: the states
   * before and after, the allowlist entry, the watch date, and the events provisioning will get.
   */
  async decide(
    flagId: string,
    version: number,
    decision: FlagDecision,
    details: {
      reasonCode: string;
      note: string | null;
      allowlist: AllowlistOnDismiss | null;
      watchUntil: number | null;
    },
    caller: FlagCaller,
  ): Promise<DecisionOutcome> {
    const { reasonCode, note, allowlist, watchUntil } = details;
    let allowlisted: DecisionOutcome['allowlisted'] = null;
    // Fixed before the transition: the table refuses a watched flag without its date.
    const watchDate = decision === 'watch' ? (watchUntil ?? Date.now() + DEFAULT_WATCH_MS) : null;
    const outcome = await this.run(
      flagId,
      version,
      caller,
      `flag.${decision}`,
      (flag, at) => {
        const command = { analyst: caller.actor.name, at, note, reasonCode };
        if (decision === 'dismiss') return dismissFlag(flag, command);
        if (decision === 'reopen') return reopenFlag(flag, command);
        if (decision === 'watch') return watchFlag(flag, { ...command, until: watchDate ?? at });
        return actOnFlag(flag, { ...command, action: decision satisfies TakenAction });
      },
      async (flag, manager) => {
        if (allowlist) allowlisted = await this.allowlistNumber(flag, allowlist, caller.actor, manager);
        // The date means something only while watched; a flag leaving the watch drops it.
        if (watchDate === null) await this.decisions.setWatchUntil(manager, flagId, null);
      },
      async (flag, manager) => {
        await this.guardDecision(flagId, flag, decision, caller, manager);
        if (watchDate !== null) await this.decisions.setWatchUntil(manager, flagId, new Date(watchDate));
      },
      { reasonCode },
    );
    this.metrics.get('flagActions').inc({ action: decision });
    if (outcome.openedAt !== null && decision !== 'reopen')
      this.metrics
        .get('timeToAction')
        .observe({ action: decision }, Math.max(Date.now() - outcome.openedAt, 0) / 1000);
    const { before, transition } = outcome;
    const after = transition.state;
    return {
      before,
      after,
      historySequence: transition.historyEntry.sequence,
      event: transition.event
        ? {
            eventId: transition.event.eventId,
            type: transition.event.type,
            topic: this.topics.subscriberFlags,
          }
        : null,
      allowlisted,
      watchUntil: watchDate,
    };
  }

  /**
   * Claims for the caller the flag `pick` locks in the command's transaction (the next claim
   * service's: the most urgent one nobody else holds), as an assignment to oneself does: version
   * bump, history and audit entry in the same transaction. Null when `pick` found none.
   */
  async claimPicked(
    pick: (manager: EntityManager) => Promise<FlagRow | null>,
    caller: FlagCaller,
  ): Promise<string | null> {
    const name = caller.actor.name;
    const claimed = await this.transact(async (manager) => {
      const row = await pick(manager);
      if (row === null) return null;
      const done = await this.applyLocked(manager, row.id, row.sequence, caller, 'flag.assign', (flag, at) =>
        assignFlag(flag, { assignee: name, actor: name, at, note: null }),
      );
      return { ...done, flagId: row.id };
    });
    if (claimed === null) return null;
    this.afterCommit(claimed);
    return claimed.flagId;
  }

  private async run(
    flagId: string,
    version: number,
    caller: FlagCaller,
    auditAction: string,
    command: (flag: FlagState, at: number) => FlagCommandResult,
    alongside?: (flag: FlagState, manager: EntityManager) => Promise<void>,
    guard?: (flag: FlagState, manager: EntityManager) => Promise<void>,
    auditDetails: Record<string, unknown> = {},
  ): Promise<{ openedAt: number | null; before: FlagState; transition: FlagTransition }> {
    const done = await this.transact((manager) =>
      this.applyLocked(
        manager,
        flagId,
        version,
        caller,
        auditAction,
        command,
        alongside,
        guard,
        auditDetails,
      ),
    );
    this.afterCommit(done);
    return { openedAt: done.openedAt?.getTime() ?? null, before: done.before, transition: done.transition };
  }

  private transact<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const stopTimer = this.metrics.get('dbTransactionDuration').startTimer({ operation: 'flag_command' });
    return this.transactions.run(work).finally(() => stopTimer());
  }

  private afterCommit(done: AppliedCommand): void {
    this.metrics.get('flagChanges').inc({ change: done.change, severity: done.severity });
    if (done.published) this.relay.wake();
  }

  private async applyLocked(
    manager: EntityManager,
    flagId: string,
    version: number,
    { actor, mayOverride }: FlagCaller,
    auditAction: string,
    command: (flag: FlagState, at: number) => FlagCommandResult,
    alongside?: (flag: FlagState, manager: EntityManager) => Promise<void>,
    guard?: (flag: FlagState, manager: EntityManager) => Promise<void>,
    auditDetails: Record<string, unknown> = {},
  ): Promise<AppliedCommand> {
    const row = await this.flags.lockById(manager, flagId);
    if (row === null) throw notFound(`flag ${flagId}`);
    const before = flagFromRow(row);
    if (before.sequence !== version)
      throw new ApiProblem(
        'version-conflict',
        `the flag is at version ${before.sequence}, you sent ${version}: reload it and decide again`,
        { currentVersion: before.sequence },
      );
    if (before.status === 'in_review' && before.assignee !== actor.name && !mayOverride)
      throw new ApiProblem(
        'forbidden',
        `${before.assignee} is reviewing this flag; only they or a supervisor can change it`,
      );
    if (guard) await guard(before, manager);
    const result = command(before, Date.now());
    if (!result.ok) throw new ApiProblem('state-conflict', result.refusal.message);
    const { state: after, historyEntry, event } = result.transition;
    await this.flags.saveTransitions(manager, [result.transition], this.topics.subscriberFlags);
    await this.audit.append(
      actor,
      {
        action: auditAction,
        targetType: 'flag',
        targetId: flagId,
        before,
        after: { ...after, ...auditDetails },
      },
      manager,
    );
    if (alongside) await alongside(after, manager);
    const openedAt = await this.flags.enteredQueueBefore(manager, flagId, historyEntry.sequence);
    return {
      published: event !== null,
      change: historyEntry.change,
      severity: after.severity,
      openedAt,
      before,
      transition: result.transition,
    };
  }

  /**
   * The checks a decision needs beyond the flag's state: a supervisor's decision is reopened only
   * by a supervisor (the audit log holds the role it was made with), and nobody acts against an
   * allowlisted number: the entry is removed first, itself an audited decision of its own. Nor
   * against a protected originator's (decision 0057): its flag is probable spoofing, or it became
   * protected since its flag was opened, and either way blocking it would cut off its real owner.
   */
  private async guardDecision(
    flagId: string,
    flag: FlagState,
    action: FlagAction | FlagDecision,
    { actor }: FlagCaller,
    manager: EntityManager,
  ): Promise<void> {
    if (action === 'reopen' && (flag.status === 'actioned' || flag.status === 'dismissed')) {
      const decision = await this.audit.latestActorOf(
        { type: 'flag', id: flagId, actions: CLOSING_ACTIONS },
        manager,
      );
      const decidedBy = decision && isRole(decision.role) ? decision.role : null;
      if (!isRole(actor.role) || !mayUndoDecision(decidedBy, actor.role))
        throw new ApiProblem(
          'forbidden',
          `${decision?.actor ?? 'a supervisor'} (${decidedBy ?? 'unknown role'}) ${flag.status === 'dismissed' ? 'dismissed' : 'acted on'} this flag; only a supervisor can reopen it`,
        );
    }
    if ((TAKEN_ACTIONS as readonly string[]).includes(action)) {
      if (!mayTakeAction('spoofing', action as TakenAction)) {
        const originator = await this.protectedOriginators.find(flag.reportedNumber, manager);
        if (flag.kind === 'spoofing' || originator !== null)
          throw new ApiProblem(
            'probable-spoofing',
            `${flag.reportedNumber} is a protected originator${originator ? ` (${originator.name})` : ''} ` +
              `whose caller ID is probably spoofed: ${action} would cut off its real owner. ` +
              'Investigate where the traffic enters the network; refer_police, dismiss or watch the flag instead',
          );
      }
      const entry = allowlistEntryFor(flag.reportedNumber, await this.allowlist.entries(manager));
      if (entry)
        throw new ApiProblem(
          'allowlisted',
          `${flag.reportedNumber} is on the allowlist (${entry.kind} ${entry.pattern}, owner ${entry.owner}: ${entry.reason}); ` +
            'a supervisor must remove the entry from the allowlist before anyone acts on the number',
        );
    }
  }

  /** Allowlists the number, or finds the entry in force that already covers it. */
  async allowlistNumber(
    flag: FlagState,
    entry: AllowlistOnDismiss,
    actor: AuditActor,
    manager: EntityManager,
  ): Promise<{ created: boolean; until: string | null }> {
    const created = await this.allowlist.insert(manager, {
      kind: 'number',
      pattern: flag.reportedNumber,
      reason: entry.reason,
      owner: entry.owner,
      expiresAt: entry.until ? new Date(entry.until) : null,
      by: actor.name,
    });
    if (created === null) {
      const existing = await this.allowlist.find(manager, 'number', flag.reportedNumber);
      return { created: false, until: existing?.expires_at?.toISOString() ?? null };
    }
    await this.audit.append(
      actor,
      {
        action: 'allowlist.create',
        targetType: 'allowlist',
        targetId: created.id,
        before: null,
        after: { kind: 'number', pattern: flag.reportedNumber, ...entry, fromFlag: flag.reportedNumber },
      },
      manager,
    );
    return { created: true, until: created.expires_at?.toISOString() ?? null };
  }
}
