import { Inject, Injectable, Logger } from '@nestjs/common';
import { KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import {
  carriesWeight,
  evaluateNumber,
  FlagTransition,
  isAllowlisted,
  LONGEST_WINDOW_SECONDS,
  ReporterStanding,
  standingAfterReport,
  WindowReport,
} from '@abuse-monitor/domain';
import {
  AcceptedReportMessage,
  acceptedReportSchema,
  BatchContext,
  deadLetterRecord,
  DeadLetterRecord,
  decodeJsonMessage,
  nestLogSink,
  publishDeadLetters,
  flagEventRecord,
  Publisher,
  topicNames,
  TopicNames,
} from '@abuse-monitor/messaging';
import {
  CounterStore,
  CounterUpdate,
  FlagChangeToSave,
  FlagStore,
  OutboxMessage,
  OutboxRelayService,
  OutboxRepository,
  ReporterStore,
  ReporterUpdate,
  ReportRow,
  ReportStore,
  RuleStore,
} from '@abuse-monitor/persistence';
import { Metrics } from '@abuse-monitor/observability';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './aggregator.config';

const LONGEST_WINDOW_MS = LONGEST_WINDOW_SECONDS * 1000;

interface AggregateOutcome {
  fresh: number;
  events: number;
  freshRows: ReportRow[];
  transitions: FlagTransition[];
}

function reportRow(report: AcceptedReportMessage): ReportRow {
  return {
    reportId: report.reportId,
    reportedNumber: report.reportedNumber,
    reporter: report.reporter,
    channel: report.channel,
    shortCode: report.shortCode,
    sourceId: report.sourceId,
    kind: report.kind,
    category: report.category as ReportRow['category'],
    categoryKeyword: report.categoryKeyword,
    numberType: report.numberType,
    carrier: report.carrier,
    content: report.content,
    agentId: report.agentId,
    receivedAt: new Date(report.receivedAt),
  };
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
  private readonly reports = new ReportStore();
  private readonly reporters = new ReporterStore();
  private readonly ruleStore = new RuleStore();
  private readonly flags = new FlagStore();
  private readonly counters = new CounterStore();
  private readonly outbox: OutboxRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: Publisher,
    private readonly relay: OutboxRelayService,
    private readonly metrics: Metrics,
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
  ) {
    this.topics = topicNames(config.KAFKA_TOPIC_PREFIX);
    this.outbox = new OutboxRepository(dataSource);
  }

  async handleBatch(messages: KafkaMessage[], context: BatchContext): Promise<void> {
    const now = new Date();
    const deadLetters: DeadLetterRecord[] = [];
    const rows = new Map<string, ReportRow>();
    for (const message of messages) {
      const decoded = decodeJsonMessage(acceptedReportSchema, message.value);
      if (decoded.ok) rows.set(decoded.value.reportId, reportRow(decoded.value));
      else {
        this.metrics.get('deadLetters').inc({ topic: context.topic, reason: decoded.reason });
        deadLetters.push(
          deadLetterRecord(context.topic, context.partition, message, decoded.reason, decoded.detail, now),
        );
      }
    }
    const outcome = rows.size
      ? await this.metrics.time('dbTransactionDuration', { operation: 'aggregate_batch' }, () =>
          this.dataSource.transaction((manager) => this.aggregate([...rows.values()], manager)),
        )
      : { fresh: 0, events: 0, freshRows: [], transitions: [] };
    this.countOutcome(outcome.freshRows, outcome.transitions);
    if (outcome.events > 0) this.relay.wake();
    await publishDeadLetters(
      this.publisher,
      this.topics.deadLetter,
      deadLetters,
      context.shouldContinue,
      nestLogSink(this.logger),
    );
    this.logger.debug(
      `${context.topic}[${context.partition}]: ${messages.length} messages, ${outcome.fresh} new reports, ` +
        `${outcome.events} flag events, ${deadLetters.length} dead-lettered`,
    );
  }

  private async aggregate(rows: ReportRow[], manager: EntityManager): Promise<AggregateOutcome> {
    const inserted = await this.reports.insertNew(rows, manager);
    const fresh = rows.filter((row) => inserted.has(row.reportId));
    if (fresh.length === 0) return { fresh: 0, events: 0, freshRows: [], transitions: [] };

    const unweighted = await this.applyReporterGuard(fresh, manager);
    const [rules, allowlist] = [await this.ruleStore.rules(manager), await this.ruleStore.allowlist(manager)];
    const byNumber = new Map<string, ReportRow[]>();
    for (const row of fresh)
      byNumber.set(row.reportedNumber, [...(byNumber.get(row.reportedNumber) ?? []), row]);
    const earliest = new Map(
      [...byNumber].map(([number, reports]) => [
        number,
        new Date(Math.min(...reports.map((r) => r.receivedAt.getTime()))),
      ]),
    );
    const history = await this.reports.historyOf(earliest, LONGEST_WINDOW_MS, [...inserted], manager);
    const storedFlags = await this.flags.forUpdate([...byNumber.keys()], manager);

    const counterUpdates: CounterUpdate[] = [];
    const flagChanges: FlagChangeToSave[] = [];
    const events: OutboxMessage[] = [];
    const allTransitions: FlagTransition[] = [];
    for (const [reportedNumber, reports] of byNumber) {
      const newReports: WindowReport[] = reports.map((r) => ({
        reportId: r.reportId,
        reporter: r.reporter,
        kind: r.kind,
        category: r.category,
        numberType: r.numberType,
        receivedAt: r.receivedAt.getTime(),
        weighted: !unweighted.has(r.reportId),
      }));
      const past = history.get(reportedNumber) ?? [];
      const result = evaluateNumber({
        reportedNumber,
        allowlisted: isAllowlisted(reportedNumber, allowlist),
        rules,
        history: past,
        newReports,
        flag: storedFlags.get(reportedNumber) ?? null,
      });
      const latest = reports.reduce((a, b) => (a.receivedAt >= b.receivedAt ? a : b));
      if (result.counts) {
        counterUpdates.push({
          reportedNumber,
          numberType: latest.numberType,
          carrier: latest.carrier,
          counts: result.counts,
          newReports: result.freshReportIds.length,
        });
      }
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
      for (const t of transitions) {
        if (t.event) events.push(flagEventRecord(this.topics.subscriberFlags, t.event));
      }
    }
    await this.counters.save(counterUpdates, manager);
    await this.flags.save(flagChanges, manager);
    await this.outbox.enqueue(events, manager);
    return { fresh: fresh.length, events: events.length, freshRows: fresh, transitions: allTransitions };
  }

  /** After the commit: what was counted for the first time, how long it took, what flags changed. */
  private countOutcome(fresh: readonly ReportRow[], transitions: readonly FlagTransition[]): void {
    const now = Date.now();
    const latency = this.metrics.get('reportLatency');
    for (const row of fresh) {
      this.metrics.get('reportsCounted').inc({ channel: row.channel });
      latency.observe({ stage: 'stored' }, Math.max(now - row.receivedAt.getTime(), 0) / 1000);
    }
    for (const t of transitions) {
      this.metrics.get('flagChanges').inc({ change: t.historyEntry.change, severity: t.state.severity });
      // A rule-made change happens at the moment of the report that made the rule fire.
      latency.observe({ stage: 'flagged' }, Math.max(now - t.historyEntry.at, 0) / 1000);
    }
  }

  /**
   * Marks reporters who send more than the daily limit suspicious; their reports from then on
   * carry no weight. Decided once, when a report is stored, so later evaluations agree.
   */
  private async applyReporterGuard(fresh: ReportRow[], manager: EntityManager): Promise<Set<string>> {
    const daily = await this.reports.reporterDailyCounts(
      fresh.map((r) => r.reportId),
      manager,
    );
    const standings = await this.reporters.standingsForUpdate(
      daily.map((d) => d.reporter),
      manager,
    );
    const unweighted = new Set<string>();
    const updates = new Map<string, ReporterUpdate>();
    for (const report of daily) {
      const before: ReporterStanding = standings.get(report.reporter) ?? 'normal';
      const after = standingAfterReport(before, report.lastDay, this.config.REPORTER_DAILY_LIMIT);
      standings.set(report.reporter, after);
      if (!carriesWeight(after)) unweighted.add(report.reportId);
      const update = updates.get(report.reporter);
      updates.set(report.reporter, {
        reporter: report.reporter,
        standing: after,
        suspiciousSince:
          update?.suspiciousSince ??
          (before !== 'suspicious' && after === 'suspicious' ? report.receivedAt : null),
        firstSeenAt: update?.firstSeenAt ?? report.receivedAt,
        lastSeenAt: report.receivedAt,
        newReports: (update?.newReports ?? 0) + 1,
      });
      if (before !== after)
        this.logger.warn(
          `reporter marked ${after}: more than ${this.config.REPORTER_DAILY_LIMIT} reports in 24 hours`,
        );
    }
    await this.reports.markUnweighted([...unweighted], manager);
    await this.reporters.save([...updates.values()], manager);
    return unweighted;
  }
}
