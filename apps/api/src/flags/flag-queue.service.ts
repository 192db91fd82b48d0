import { Inject, Injectable, Logger } from '@nestjs/common';
import { describeError } from '@abuse-monitor/runtime';
import {
  FlagFilter,
  FlagQueueRepository,
  FlagsRepository,
  QueueSla,
  UrgencyCursor,
} from '@abuse-monitor/persistence';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { encodeCursor } from '../http/common-schemas';
import { ApiProblem, notFound } from '../http/problem';
import { AllowlistOnDismiss, FlagAction, FlagCaller, FlagCommandsService } from './flag-commands.service';
import { flagSummaryOf } from './flag-views';
import { queueSlaOf } from './queue-sla';

/** The horizons of the overdue-wave warning, in milliseconds: the next hour and the next four. */
export const DUE_SOON_HORIZONS = { '1h': 3_600_000, '4h': 14_400_000 } as const;
/** Candidates read per attempt of claim-next; more than the analysts who claim at the same moment. */
const CLAIM_CANDIDATES = 20;
const CLAIM_ATTEMPTS = 5;
export const RELATED_FLAGS = 20;

export interface BulkItem {
  flagId: string;
  version: number;
}

/**
 * The analyst's loop over the queue (decision 0044): the queue in urgency order with its count,
 * the wave of flags about to run out of SLA, claiming the next flag, a flag's relatives, and the
 * same decision on many flags, each through the single-flag command.
 */
@Injectable()
export class FlagQueueService {
  private readonly logger = new Logger(FlagQueueService.name);
  private readonly sla: QueueSla;

  constructor(
    private readonly queue: FlagQueueRepository,
    private readonly flags: FlagsRepository,
    private readonly commands: FlagCommandsService,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.sla = queueSlaOf(config);
  }

  async urgentPage(filter: FlagFilter, cursor: UrgencyCursor | undefined, limit: number) {
    const [rows, total] = await Promise.all([
      this.queue.page(filter, this.sla, cursor, limit + 1),
      // Counted once, on the first page: the count reads every match, a page only its own.
      cursor ? null : this.queue.count(filter),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => flagSummaryOf(row, this.sla)),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({
              sort: 'urgency',
              dueMicros: last.due_micros,
              rank: last.rank,
              reporters: last.reporters_key,
              id: String(last.id),
            } satisfies UrgencyCursor)
          : null,
      total,
    };
  }

  count(filter: FlagFilter): Promise<number> {
    return this.queue.count(filter);
  }

  async dueSoon(now = new Date()) {
    const horizons = Object.values(DUE_SOON_HORIZONS);
    const rows = await this.queue.dueSoon(this.sla, now, horizons);
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((n, row) => n + pick(row), 0);
    return {
      at: now.toISOString(),
      overdue: sum((r) => r.overdue),
      within1h: sum((r) => r.within[0]),
      within4h: sum((r) => r.within[1]),
      byStage: rows
        .filter((r) => r.overdue + r.within[1] > 0)
        .map((r) => ({
          stage: r.status === 'open' ? ('queue' as const) : ('review' as const),
          severity: r.severity,
          overdue: r.overdue,
          within1h: r.within[0],
          within4h: r.within[1],
        })),
    };
  }

  /**
   * The most urgent open flag nobody else holds, claimed for the caller. The candidates are read
   * in urgency order outside the transaction; the claim locks the first still claimable with
   * SKIP LOCKED, so analysts claiming at the same time take the next ones instead of waiting or
   * colliding. When all were taken meanwhile, the next candidates are tried.
   */
  async claimNext(caller: FlagCaller): Promise<string> {
    const filter: FlagFilter = { status: ['open'], claimableBy: caller.actor.name };
    let after: UrgencyCursor | undefined;
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const candidates = await this.queue.page(filter, this.sla, after, CLAIM_CANDIDATES);
      if (candidates.length === 0) break;
      const ids = candidates.map((row) => String(row.id));
      const claimed = await this.commands.claimPicked(
        (manager) => this.queue.lockFirstClaimable(manager, ids, caller.actor.name),
        caller,
      );
      if (claimed !== null) return claimed;
      const last = candidates[candidates.length - 1];
      after = {
        sort: 'urgency',
        dueMicros: last.due_micros,
        rank: last.rank,
        reporters: last.reporters_key,
        id: String(last.id),
      };
    }
    throw new ApiProblem('not-found', 'no open flag is waiting that you may claim');
  }

  async related(flagId: string) {
    if (!(await this.flags.byId(flagId))) throw notFound(`flag ${flagId}`);
    const rows = await this.queue.related(flagId, RELATED_FLAGS);
    return {
      items: rows.map((row) => ({
        flag: flagSummaryOf(row, this.sla),
        why: [
          ...(row.shared_reporters > 0 ? (['shared_reporters'] as const) : []),
          ...(row.same_block ? (['same_number_block'] as const) : []),
          ...(row.shared_texts > 0 ? (['same_text'] as const) : []),
        ],
        sharedReporters: row.shared_reporters,
        sharedTexts: row.shared_texts,
      })),
    };
  }

  /**
   * One decision on many flags: each through the single-flag command, in its own transaction,
   * checked against the version the person saw and audited on its own; one refusal stops nothing.
   */
  async bulkDecide(
    items: readonly BulkItem[],
    action: FlagAction,
    note: string,
    allowlist: AllowlistOnDismiss | null,
    caller: FlagCaller,
    reasonCode: string | null = null,
  ) {
    const done: { flagId: number; version: number; status: string }[] = [];
    const refused: {
      flagId: number;
      status: number;
      type: string;
      detail: string;
      currentVersion?: number;
    }[] = [];
    for (const item of items) {
      try {
        // The state this decision left, not one read afterwards: a change someone made since
        // must not pass for this one (its version would let the caller overwrite it unseen).
        // With a reason code each flag goes through the decisions command, as the console's single
        // decision does, so that its history and audit entry carry the code (decision 0052).
        const after =
          reasonCode === null
            ? await this.commands.act(item.flagId, item.version, action, note, allowlist, caller)
            : (
                await this.commands.decide(
                  item.flagId,
                  item.version,
                  action,
                  { reasonCode, note, allowlist, watchUntil: null },
                  caller,
                )
              ).after;
        done.push({ flagId: Number(item.flagId), version: after.sequence, status: after.status });
      } catch (error) {
        if (error instanceof ApiProblem) {
          refused.push({
            flagId: Number(item.flagId),
            status: error.status,
            type: error.toProblem('', undefined).type,
            detail: error.detail,
            ...(error.extra.currentVersion !== undefined
              ? { currentVersion: error.extra.currentVersion }
              : {}),
          });
          continue;
        }
        // Its transaction rolled back: nothing changed on this flag, and the others stand.
        this.logger.error(`bulk decision on flag ${item.flagId} failed: ${describeError(error)}`);
        refused.push({
          flagId: Number(item.flagId),
          status: 500,
          type: 'urn:abuse-monitor:problem:internal',
          detail: 'the decision could not be recorded; nothing changed on this flag',
        });
      }
    }
    return { done, refused };
  }
}
