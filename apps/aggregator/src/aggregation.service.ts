import { Inject, Injectable, Logger } from '@nestjs/common';
import { KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import {
  carriesWeight,
  compareReports,
  evaluateNumber,
  FlagEvent,
  FlagTransition,
  GUARD_WINDOW_MS,
  reportsInLast24hAmong,
  sanitizeText,
  LONGEST_WINDOW_SECONDS,
  ReporterStanding,
  standingAfterReport,
  WindowReport,
} from '@abuse-monitor/domain';
import {
  AcceptedReportMessage,
  acceptedReportFastPath,
  acceptedReportSchema,
  BatchContext,
  deadLetterRecord,
  DeadLetterRecord,
  decodeJsonMessage,
  flagEventRecord,
  topicNames,
  TopicNames,
} from '@abuse-monitor/messaging';
import {
  CountersRepository,
  CounterUpdate,
  FlagChangeToSave,
  FlagChangesRepository,
  holdsAStoredReport,
  OutboxMessage,
  OutboxRelayService,
  OutboxRepository,
  planWithoutJit,
  ReporterActivity,
  ReporterActivityRepository,
  ReporterUpdate,
  ReportRow,
  ReportsRepository,
  reportTextKey,
  RulesInForce,
  storableText,
} from '@abuse-monitor/persistence';
import { Metrics } from '@abuse-monitor/observability';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './aggregator.config';
import { DeadLetterSenderService } from './dead-letter-sender.service';
import { RecentReportsCache, TimelineToRemember } from './recent-reports-cache';
import { RulesInForceService } from './rules-in-force.service';

const LONGEST_WINDOW_MS = LONGEST_WINDOW_SECONDS * 1000;

interface AggregateOutcome {
  fresh: number;
  events: number;
  freshRows: ReportRow[];
  transitions: FlagTransition[];
  timelines: TimelineToRemember[];
}

function reportRow(report: AcceptedReportMessage): ReportRow {
  // Ingest strips invisible format characters; an older producer did not, and a bidi control in
  // a stored text would reorder it in the console ("gnp.exe" shown as "exe.png").
  const content = report.content === null ? null : sanitizeText(report.content);
  return {
    // As PostgreSQL returns a uuid, so that ids read back match ids received.
    reportId: report.reportId.toLowerCase(),
    reportedNumber: report.reportedNumber,
    // As it will be stored: the guard and the remembered timelines key on the stored form.
    reporter: storableText(report.reporter),
    channel: report.channel,
    shortCode: report.shortCode,
    sourceId: report.sourceId,
    kind: report.kind,
    category: report.category as ReportRow['category'],
    categoryKeyword: report.categoryKeyword,
    numberType: report.numberType,
    carrier: report.carrier,
    content,
    // In JS rather than in an index expression: PostgreSQL's regexp_replace cost several times
    // what this does (decision 0069).
    textKey: reportTextKey(content),
    agentId: report.agentId,
    receivedAt: new Date(report.receivedAt),
  };
}

/** Each reporter's first and last report in the batch, and how many. */
function activityOf(rows: readonly ReportRow[]): ReporterActivity[] {
  const byReporter = new Map<string, ReporterActivity>();
  for (const row of rows) {
    const seen = byReporter.get(row.reporter);
    if (!seen) {
      byReporter.set(row.reporter, {
        reporter: row.reporter,
        firstSeenAt: row.receivedAt,
        lastSeenAt: row.receivedAt,
        reports: 1,
      });
      continue;
    }
    seen.reports += 1;
    if (row.receivedAt < seen.firstSeenAt) seen.firstSeenAt = row.receivedAt;
    if (row.receivedAt > seen.lastSeenAt) seen.lastSeenAt = row.receivedAt;
  }
  return [...byReporter.values()];
}

/**
 * One batch of accepted reports is one transaction: store the new reports, apply the reporter
 * guard, evaluate the rules for every number the batch touched, update counters and flags, and
 * write flag events to the outbox. Only reports stored for the first time are evaluated, so a
 * redelivered batch changes nothing.
 */
@Injectable()
export class AggregationService {
  private readonly logger = new Logger(AggregationService.name);
  private readonly topics: TopicNames;
  private readonly recent: RecentReportsCache;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLetterSenderService,
    private readonly relay: OutboxRelayService,
    private readonly metrics: Metrics,
    private readonly reports: ReportsRepository,
    private readonly reporters: ReporterActivityRepository,
    private readonly rulesInForce: RulesInForceService,
    private readonly flags: FlagChangesRepository,
    private readonly counters: CountersRepository,
    private readonly outbox: OutboxRepository,
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
  ) {
    this.topics = topicNames(config.KAFKA_TOPIC_PREFIX);
    this.recent = new RecentReportsCache(config.AGGREGATOR_RECENT_REPORTS);
  }

  async handleBatch(messages: KafkaMessage[], context: BatchContext): Promise<void> {
    const now = new Date();
    const deadLetters: DeadLetterRecord[] = [];
    const rows = new Map<string, ReportRow>();
    for (const message of messages) {
      const decoded = decodeJsonMessage(acceptedReportSchema, message.value, (json) =>
        acceptedReportFastPath(json, now.getTime()),
      );
      if (decoded.ok) {
        const row = reportRow(decoded.value);
        rows.set(row.reportId, row);
      } else {
        deadLetters.push(
          deadLetterRecord(context.topic, context.partition, message, decoded.reason, decoded.detail, now),
        );
      }
    }
    let outcome: AggregateOutcome = { fresh: 0, events: 0, freshRows: [], transitions: [], timelines: [] };
    if (rows.size) {
      // In memory between changes (decision 0062): a change applies to the batches that start after
      // its notification, as it did to the next batch when read in the transaction.
      const inForce = await this.rulesInForce.current();
      outcome = await this.metrics.time('dbTransactionDuration', { operation: 'aggregate_batch' }, () =>
        this.store([...rows.values()], inForce),
      );
    }
    // Only now that they are committed do these timelines describe what the database holds.
    for (const timeline of outcome.timelines) this.recent.remember(timeline, LONGEST_WINDOW_MS);
    this.countOutcome(outcome.freshRows, outcome.transitions);
    if (outcome.events > 0) this.relay.wake();
    await this.deadLetters.send(deadLetters, context);
    this.logger.debug(
      `${context.topic}[${context.partition}]: ${messages.length} messages, ${outcome.fresh} new reports, ` +
        `${outcome.events} flag events, ${deadLetters.length} dead-lettered`,
    );
  }

  /**
   * The batch's transaction, taking its reports to be new, as nearly all are: a plain insert is
   * cheaper than one that skips stored reports (decision 0078). A batch that holds a stored report
   * (read again after a crash or a rebalance, or a redelivery ingest no longer remembered) fails on
   * it before anything else is written, and is stored again, skipping those.
   */
  private async store(rows: ReportRow[], inForce: RulesInForce): Promise<AggregateOutcome> {
    try {
      return await this.dataSource.transaction((manager) =>
        this.aggregate(rows, inForce, manager, 'all new'),
      );
    } catch (error) {
      if (!holdsAStoredReport(error)) throw error;
      this.metrics.get('aggregatorBatchesWithStoredReports').inc();
      return this.dataSource.transaction((manager) => this.aggregate(rows, inForce, manager, 'some stored'));
    }
  }

  private async aggregate(
    rows: ReportRow[],
    inForce: RulesInForce,
    manager: EntityManager,
    expected: 'all new' | 'some stored',
  ): Promise<AggregateOutcome> {
    await planWithoutJit(manager);
    const numbers = [...new Set(rows.map((row) => row.reportedNumber))];
    // Flags before counters, each in the numbers' order: two aggregators never deadlock on them.
    const storedFlags = await this.flags.forUpdate(numbers, manager);
    const stored = await this.counters.storedReportCounts(numbers, manager);
    // A number without a counters row has one stored report or none (decision 0083): all are read,
    // before this batch's are stored beside them.
    const rowless = await this.reports.everyReportOf(
      numbers.filter((n) => !stored.has(n)),
      manager,
    );
    const inserted =
      expected === 'all new'
        ? await this.reports.insertAll(rows, manager)
        : await this.reports.insertNew(rows, manager);
    const fresh = rows.filter((row) => inserted.has(row.reportId));
    if (fresh.length === 0) return { fresh: 0, events: 0, freshRows: [], transitions: [], timelines: [] };

    const unweighted = await this.applyReporterGuard(fresh, manager);
    const byNumber = new Map<string, ReportRow[]>();
    for (const row of fresh) {
      const reports = byNumber.get(row.reportedNumber);
      if (reports) reports.push(row);
      else byNumber.set(row.reportedNumber, [row]);
    }
    const history = await this.historyOf(byNumber, stored, rowless, inserted, manager);

    const counterUpdates: CounterUpdate[] = [];
    const firstCounters: CounterUpdate[] = [];
    const flagChanges: FlagChangeToSave[] = [];
    const events: OutboxMessage[] = [];
    const flagEvents: FlagEvent[] = [];
    const allTransitions: FlagTransition[] = [];
    const timelines: TimelineToRemember[] = [];
    for (const [reportedNumber, reports] of byNumber) {
      const newReports: WindowReport[] = reports.map((r) => ({
        reportId: r.reportId,
        reporter: r.reporter,
        // As stored, so that remembered and re-read timelines name the same sources.
        agentId: r.agentId === null ? null : storableText(r.agentId),
        kind: r.kind,
        category: r.category,
        numberType: r.numberType,
        receivedAt: r.receivedAt.getTime(),
        weighted: !unweighted.has(r.reportId),
      }));
      const past = history.get(reportedNumber) ?? { from: 0, reports: [] };
      const result = evaluateNumber({
        reportedNumber,
        allowlisted: inForce.allowlisted(reportedNumber),
        protectedOriginator: inForce.protectedOriginators.has(reportedNumber),
        rules: inForce.rules,
        history: past.reports,
        newReports,
        flag: storedFlags.get(reportedNumber) ?? null,
      });
      const rowlessReports = rowless.get(reportedNumber);
      const latest = reports.reduce((a, b) => (a.receivedAt >= b.receivedAt ? a : b));
      const fresh = result.freshReportIds.length;
      // A number without a row gets one with its whole total, from its second report or a flag;
      // reported once and never flagged, it keeps none and readers count its one report.
      const total = rowlessReports === undefined ? null : rowlessReports.length + fresh;
      const counts = total === null || total >= 2 || result.flag !== null ? result.counts : null;
      if (counts) {
        let firstSeenAt = Infinity;
        for (const r of rowlessReports ?? []) firstSeenAt = Math.min(firstSeenAt, r.receivedAt);
        (total === null ? counterUpdates : firstCounters).push({
          reportedNumber,
          numberType: latest.numberType,
          carrier: latest.carrier,
          counts,
          newReports: total ?? fresh,
          firstSeenAt,
        });
      }
      timelines.push({
        reportedNumber,
        // What storedReportCounts will say next time. A number left without a row has fewer than
        // two reports, and the cache remembers none of those.
        storedReports: counts && total !== null ? total : (stored.get(reportedNumber) ?? 0) + fresh,
        completeAfter: past.from,
        reports: past.reports.concat(newReports),
      });
      if (result.transitions.length === 0 || result.flag === null) continue;
      const transitions = result.transitions;
      allTransitions.push(...transitions);
      flagChanges.push({
        flag: result.flag,
        coordinationShare: null,
        history: transitions.map((t) => t.historyEntry),
        eventIds: new Map(
          transitions.flatMap((t) => (t.event ? [[t.historyEntry.sequence, t.event.eventId]] : [])),
        ),
      });
      for (const t of transitions) if (t.event) flagEvents.push(t.event);
    }
    await this.counters.save(counterUpdates, manager);
    // In the numbers' order, as every lock: two writers racing to one row meet on it, not in a deadlock.
    firstCounters.sort((a, b) => (a.reportedNumber < b.reportedNumber ? -1 : 1));
    await this.counters.insertFirst(firstCounters, manager);
    // A member's flag events name its campaign (decision 0054): saving the flags returns it.
    const campaignOf = await this.flags.save(flagChanges, manager);
    for (const event of flagEvents) {
      const campaignId = campaignOf.get(event.reportedNumber);
      events.push(
        flagEventRecord(
          this.topics.subscriberFlags,
          campaignId === undefined ? event : { ...event, campaignId },
        ),
      );
    }
    await this.outbox.enqueue(events, manager);
    return {
      fresh: fresh.length,
      events: events.length,
      freshRows: fresh,
      transitions: allTransitions,
      timelines,
    };
  }

  /**
   * Each number's stored reports that evaluation needs (all received within the longest window
   * before its earliest new report, and any later): of a number without a counters row, from its
   * reports read already; of the others, from memory where it is known to be whole, otherwise from
   * the database in one query for all of them.
   */
  private async historyOf(
    byNumber: ReadonlyMap<string, readonly ReportRow[]>,
    stored: ReadonlyMap<string, number>,
    rowless: ReadonlyMap<string, readonly WindowReport[]>,
    inserted: ReadonlySet<string>,
    manager: EntityManager,
  ): Promise<Map<string, { from: number; reports: readonly WindowReport[] }>> {
    const history = new Map<string, { from: number; reports: readonly WindowReport[] }>();
    const toRead = new Map<string, Date>();
    let fromMemory = 0;
    for (const [number, reports] of byNumber) {
      let earliest = Infinity;
      for (const r of reports) earliest = Math.min(earliest, r.receivedAt.getTime());
      const from = earliest - LONGEST_WINDOW_MS;
      const every = rowless.get(number);
      if (every !== undefined) {
        history.set(number, { from, reports: every.filter((r) => r.receivedAt > from).sort(compareReports) });
        continue;
      }
      const remembered = this.recent.reportsAfter(number, stored.get(number) ?? 0, from);
      if (remembered) {
        history.set(number, { from, reports: remembered });
        fromMemory += 1;
      } else toRead.set(number, new Date(earliest));
    }
    this.metrics.get('aggregatorHistoryLookups').inc({ source: 'memory' }, fromMemory);
    if (toRead.size === 0) return history;
    this.metrics.get('aggregatorHistoryLookups').inc({ source: 'database' }, toRead.size);
    const read = await this.reports.historyOf(toRead, LONGEST_WINDOW_MS, [...inserted], manager);
    for (const [number, reports] of read) {
      history.set(number, { from: (toRead.get(number)?.getTime() ?? 0) - LONGEST_WINDOW_MS, reports });
    }
    return history;
  }

  /** After the commit: what was counted for the first time, how long it took, what flags changed. */
  private countOutcome(fresh: readonly ReportRow[], transitions: readonly FlagTransition[]): void {
    const now = Date.now();
    const latency = this.metrics.get('reportLatency');
    // Counted once per channel: each increment hashes its labels.
    const byChannel = new Map<string, number>();
    for (const row of fresh) {
      byChannel.set(row.channel, (byChannel.get(row.channel) ?? 0) + 1);
      latency.observe({ stage: 'stored' }, Math.max(now - row.receivedAt.getTime(), 0) / 1000);
    }
    for (const [channel, reports] of byChannel) this.metrics.get('reportsCounted').inc({ channel }, reports);
    for (const t of transitions) {
      this.metrics.get('flagChanges').inc({ change: t.historyEntry.change, severity: t.state.severity });
      if (
        t.state.kind === 'spoofing' &&
        (t.historyEntry.change === 'opened' || t.historyEntry.change === 'reopened')
      )
        this.metrics.get('spoofingFlagsOpened').inc({ change: t.historyEntry.change });
      // A rule-made change happens at the moment of the report that made the rule fire.
      latency.observe({ stage: 'flagged' }, Math.max(now - t.historyEntry.at, 0) / 1000);
    }
  }

  /**
   * Marks reporters who send more than the daily limit suspicious; their reports from then on
   * carry no weight. Decided once, when a report is stored, so later evaluations agree. Most
   * reporters sent nothing else in the 24 hours before: their counts come from the batch alone,
   * and only the others are counted in the database.
   */
  private async applyReporterGuard(fresh: ReportRow[], manager: EntityManager): Promise<Set<string>> {
    const activity = activityOf(fresh);
    const { added, known } = await this.reporters.addNewAndLockKnown(activity, manager);
    const guarded = fresh.map((r) => ({
      reportId: r.reportId,
      reporter: r.reporter,
      receivedAt: r.receivedAt.getTime(),
    }));
    const inBatch = reportsInLast24hAmong(guarded);
    const needStored = guarded.filter(
      (r) => (known.get(r.reporter)?.lastSeenAt ?? -Infinity) > r.receivedAt - GUARD_WINDOW_MS,
    );
    const withStored = await this.reports.reporterDailyCounts(
      needStored.map((r) => r.reportId),
      manager,
    );
    const standings = new Map([...known].map(([reporter, stored]) => [reporter, stored.standing]));
    const suspiciousSince = new Map<string, Date>();
    const unweighted = new Set<string>();
    // In timeline order, as evaluation takes them.
    for (const report of guarded.sort(compareReports)) {
      const before: ReporterStanding = standings.get(report.reporter) ?? 'normal';
      const lastDay = withStored.get(report.reportId) ?? inBatch.get(report.reportId) ?? 1;
      const after = standingAfterReport(before, lastDay, this.config.REPORTER_DAILY_LIMIT);
      standings.set(report.reporter, after);
      if (!carriesWeight(after)) unweighted.add(report.reportId);
      if (before === after) continue;
      if (after === 'suspicious' && !suspiciousSince.has(report.reporter))
        suspiciousSince.set(report.reporter, new Date(report.receivedAt));
      this.logger.warn(
        `reporter marked ${after}: more than ${this.config.REPORTER_DAILY_LIMIT} reports in 24 hours`,
      );
    }
    await this.reports.markUnweighted([...unweighted], manager);
    // A reporter added by this batch already holds its activity; only a change of standing is left.
    // Fields named rather than spread: one object per reporter, and a spread one is slow to make.
    const updates: ReporterUpdate[] = [];
    for (const a of activity) {
      const standing = standings.get(a.reporter) ?? 'normal';
      if (added.has(a.reporter) && standing === 'normal') continue;
      updates.push({
        reporter: a.reporter,
        firstSeenAt: a.firstSeenAt,
        lastSeenAt: a.lastSeenAt,
        reports: added.has(a.reporter) ? 0 : a.reports,
        standing,
        suspiciousSince: suspiciousSince.get(a.reporter) ?? null,
      });
    }
    await this.reporters.save(updates, manager);
    return unweighted;
  }
}
