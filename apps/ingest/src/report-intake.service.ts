import { Inject, Injectable, Logger } from '@nestjs/common';
import { KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { nestsDeeperThan } from '@abuse-monitor/domain';
import {
  BatchContext,
  deadLetterRecord,
  DeadLetterRecord,
  decodeJsonMessage,
  nestLogSink,
  publishDeadLetters,
  decodeRawSms,
  Publisher,
  topicNames,
  TopicNames,
} from '@abuse-monitor/messaging';
import {
  OutboxRelayService,
  OutboxRepository,
  RawSmsMessageRepository,
  RawSmsRow,
  storableText,
  SubmittedReportRepository,
  SubmittedReportRow,
} from '@abuse-monitor/persistence';
import { deadLetterCounter, Metrics } from '@abuse-monitor/observability';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { countIntake, IntakeOutcome } from './intake-metrics';
import { decideSms } from './intake/decide-sms';
import { decideSubmitted } from './intake/decide-submitted';
import { IntakeOptions, OutgoingMessage } from './intake/intake-options';

const anyJson = z.unknown();
/** A submission is a flat object; the rest of the limit is room for fields a client adds. */
const MAX_SUBMISSION_NESTING = 32;

/**
 * Turns one batch from reports.sms.raw or reports.submitted into stored rows and, in the same
 * transaction, the accepted/rejected reports and replies to publish. Messages are decided only the
 * first time their id is stored, so a redelivered message produces no second report or reply.
 */
@Injectable()
export class ReportIntakeService {
  private readonly logger = new Logger(ReportIntakeService.name);
  private readonly topics: TopicNames;
  private readonly options: IntakeOptions;
  private readonly rawSms = new RawSmsMessageRepository();
  private readonly submitted = new SubmittedReportRepository();
  private readonly outbox: OutboxRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: Publisher,
    private readonly relay: OutboxRelayService,
    private readonly metrics: Metrics,
    @Inject(INGEST_CONFIG) config: IngestConfig,
  ) {
    this.topics = topicNames(config.KAFKA_TOPIC_PREFIX);
    this.options = {
      topics: this.topics,
      maxReportLength: config.REPORT_MAX_LENGTH,
      protectedNumbers: config.PROTECTED_NUMBERS,
    };
    this.outbox = new OutboxRepository(dataSource);
  }

  async handleBatch(messages: KafkaMessage[], context: BatchContext): Promise<void> {
    const now = new Date();
    const deadLetters: DeadLetterRecord[] = [];
    const deadLetter = (message: KafkaMessage, reason: DeadLetterRecord['reason'], detail: string) => {
      deadLetters.push(deadLetterRecord(context.topic, context.partition, message, reason, detail, now));
    };

    let counts: { stored: number; known: number };
    if (context.topic === this.topics.smsRaw) {
      counts = await this.storeSms(messages, context, now, deadLetter);
    } else if (context.topic === this.topics.submitted) {
      counts = await this.storeSubmitted(messages, context, now, deadLetter);
    } else {
      throw new Error(`no handler for topic ${context.topic}`);
    }
    if (counts.stored > 0) this.relay.wake();

    await publishDeadLetters(
      this.publisher,
      this.topics.deadLetter,
      deadLetters,
      context.shouldContinue,
      nestLogSink(this.logger),
      deadLetterCounter(this.metrics),
    );
    this.logger.debug(
      `${context.topic}[${context.partition}]: ${messages.length} messages, ${counts.stored} new, ` +
        `${counts.known} already known, ${deadLetters.length} dead-lettered`,
    );
  }

  private async storeSms(
    messages: KafkaMessage[],
    context: BatchContext,
    now: Date,
    deadLetter: (message: KafkaMessage, reason: DeadLetterRecord['reason'], detail: string) => void,
  ) {
    const rows: RawSmsRow[] = [];
    const outgoingById = new Map<string, OutgoingMessage[]>();
    const outcomes = new Map<string, IntakeOutcome>();
    for (const message of messages) {
      const decoded = decodeRawSms(message.value);
      if (!decoded.ok) {
        deadLetter(message, decoded.reason, decoded.detail);
        continue;
      }
      const sms = decoded.value;
      const id = storableText(sms.messageId);
      if (outgoingById.has(id)) continue;
      const decision = decideSms(sms, this.options, now);
      outgoingById.set(id, decision.messages);
      outcomes.set(id, { channel: 'sms', shortCode: sms.to, ...decision });
      rows.push({
        messageId: sms.messageId,
        reporter: sms.from,
        shortCode: sms.to,
        text: sms.text,
        receivedAt: sms.receivedAt,
        kafkaTopic: context.topic,
        kafkaPartition: context.partition,
        kafkaOffset: message.offset,
        outcome: decision.outcome,
        rejectionReason: decision.rejectionReason,
        reportId: decision.reportId,
      });
    }
    return this.storeWithOutbox(rows.length, outgoingById, outcomes, (manager) =>
      this.rawSms.insertNew(rows, manager),
    );
  }

  private async storeSubmitted(
    messages: KafkaMessage[],
    context: BatchContext,
    now: Date,
    deadLetter: (message: KafkaMessage, reason: DeadLetterRecord['reason'], detail: string) => void,
  ) {
    const rows: SubmittedReportRow[] = [];
    const outgoingById = new Map<string, OutgoingMessage[]>();
    const outcomes = new Map<string, IntakeOutcome>();
    for (const message of messages) {
      const decoded = decodeJsonMessage(anyJson, message.value);
      if (!decoded.ok) {
        deadLetter(message, decoded.reason, decoded.detail);
        continue;
      }
      // The payload is stored as it came: one this deep would fail the batch on every retry.
      if (nestsDeeperThan(decoded.value, MAX_SUBMISSION_NESTING)) {
        deadLetter(message, 'invalid_json', `nested deeper than ${MAX_SUBMISSION_NESTING} levels`);
        continue;
      }
      const decision = decideSubmitted(
        decoded.value,
        {
          coordinates: `${context.topic}:${context.partition}:${message.offset}`,
          brokerTime: new Date(Number(message.timestamp)),
        },
        this.options,
        now,
      );
      const id = storableText(decision.submissionId);
      if (outgoingById.has(id)) continue;
      outgoingById.set(id, decision.messages);
      outcomes.set(id, { channel: 'hotline', shortCode: null, ...decision });
      rows.push({
        submissionId: decision.submissionId,
        agentId: decision.agentId,
        payload: decoded.value,
        outcome: decision.outcome,
        rejectionReason: decision.rejectionReason,
        reportId: decision.reportId,
        kafkaTopic: context.topic,
        kafkaPartition: context.partition,
        kafkaOffset: message.offset,
      });
    }
    return this.storeWithOutbox(rows.length, outgoingById, outcomes, (manager) =>
      this.submitted.insertNew(rows, manager),
    );
  }

  /**
   * One transaction: the rows, then the outgoing messages of the rows that were new. Only new rows
   * are counted in the metrics, after the commit, so redeliveries do not inflate them.
   */
  private async storeWithOutbox(
    candidates: number,
    outgoingById: Map<string, OutgoingMessage[]>,
    outcomes: Map<string, IntakeOutcome>,
    insert: (manager: EntityManager) => Promise<Set<string>>,
  ): Promise<{ stored: number; known: number }> {
    if (candidates === 0) return { stored: 0, known: 0 };
    const inserted = await this.metrics.time('dbTransactionDuration', { operation: 'ingest_batch' }, () =>
      this.dataSource.transaction(async (manager) => {
        const ids = await insert(manager);
        // In the order the messages came, so replies to one reporter leave in order.
        const outgoing = [...outgoingById].flatMap(([id, messages]) => (ids.has(id) ? messages : []));
        await this.outbox.enqueue(outgoing, manager);
        return ids;
      }),
    );
    for (const id of inserted) {
      const outcome = outcomes.get(id);
      if (outcome) countIntake(this.metrics, outcome);
    }
    return { stored: inserted.size, known: candidates - inserted.size };
  }
}
