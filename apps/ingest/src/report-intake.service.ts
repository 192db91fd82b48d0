import { Inject, Injectable, Logger } from '@nestjs/common';
import { KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import { nestsDeeperThan, reportTimeProblem } from '@abuse-monitor/domain';
import {
  BatchContext,
  deadLetterMessage,
  deadLettered,
  deadLetterRecord,
  DeadLetterRecord,
  decodeJsonMessage,
  decodeRawSms,
  nestLogSink,
  OutgoingRecord,
  ProducedBatch,
  topicNames,
  TopicNames,
} from '@abuse-monitor/messaging';
import { deadLetterCounter, Metrics } from '@abuse-monitor/observability';
import { describeError } from '@abuse-monitor/runtime';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { countIntake, IntakeOutcome } from './intake-metrics';
import { decideSms } from './intake/decide-sms';
import { decideSubmitted } from './intake/decide-submitted';
import { IntakeOptions } from './intake/intake-options';
import { RecentMessageIds } from './intake/recent-message-ids';

const anyJson = z.unknown();
/** A submission is a flat object; the rest of the limit is room for fields a client adds. */
const MAX_SUBMISSION_NESTING = 32;

/**
 * When the broker took the message, the time of a submission that does not say when it was taken.
 * A producer may set any create time: one a Date cannot hold, or from a broken clock, is replaced
 * by the time ingest reads it, which is within moments of it.
 */
function brokerTimeOf(message: KafkaMessage, now: Date): Date {
  const time = new Date(Number(message.timestamp));
  return reportTimeProblem(time.getTime(), now.getTime()) === null ? time : now;
}

/** Sets a message aside for the dead-letter topic, with why. */
type DeadLetter = (message: KafkaMessage, reason: DeadLetterRecord['reason'], detail: string) => void;

/** What the metrics count of a decision: its fields named, not spread (a spread object is slow to make). */
function outcomeOf(
  channel: IntakeOutcome['channel'],
  shortCode: string | null,
  decision: Pick<IntakeOutcome, 'outcome' | 'rejectionReason' | 'accepted'>,
): IntakeOutcome {
  return {
    channel,
    shortCode,
    outcome: decision.outcome,
    rejectionReason: decision.rejectionReason,
    accepted: decision.accepted,
  };
}

/** What one batch decided, before its transaction commits. */
class BatchDecisions {
  readonly records: OutgoingRecord[] = [];
  readonly outcomes: IntakeOutcome[] = [];
  readonly ids = new Set<string>();
  readonly deadLetters: DeadLetterRecord[] = [];
}

/**
 * Turns one batch from reports.sms.raw or reports.submitted into the accepted and rejected reports,
 * the replies and the dead letters to produce, all in the transaction that commits the batch's
 * offset (docs/decisions/0025). Nothing is written anywhere else: the raw message stays on its
 * topic, and the aggregator stores what people and jobs read.
 */
@Injectable()
export class ReportIntakeService {
  private readonly logger = new Logger(ReportIntakeService.name);
  private readonly topics: TopicNames;
  private readonly options: IntakeOptions;
  private readonly recent: RecentMessageIds;

  constructor(
    private readonly metrics: Metrics,
    @Inject(INGEST_CONFIG) config: IngestConfig,
  ) {
    this.topics = topicNames(config.KAFKA_TOPIC_PREFIX);
    this.options = {
      topics: this.topics,
      maxReportLength: config.REPORT_MAX_LENGTH,
      shortCodes: config.SMS_SHORT_CODES,
      maxSubmissionAgeMs: config.HOTLINE_MAX_REPORT_AGE,
    };
    this.recent = new RecentMessageIds(config.INGEST_RECENT_MESSAGE_IDS);
  }

  transform(messages: KafkaMessage[], context: BatchContext): ProducedBatch {
    const now = new Date();
    const decisions = new BatchDecisions();
    const deadLetter: DeadLetter = (message, reason, detail) => {
      decisions.deadLetters.push(
        deadLetterRecord(context.topic, context.partition, message, reason, detail, now),
      );
    };
    const decide =
      context.topic === this.topics.smsRaw
        ? (message: KafkaMessage) => this.decideSms(message, decisions, now, deadLetter)
        : context.topic === this.topics.submitted
          ? (message: KafkaMessage) => this.decideSubmitted(message, context, decisions, now, deadLetter)
          : null;
    if (decide === null) throw new Error(`no handler for topic ${context.topic}`);
    for (const message of messages) {
      // A message that makes the decision throw would throw on every retry and stop its
      // partition for good: it is set aside, to be sent back once the fault is fixed.
      try {
        decide(message);
      } catch (error) {
        this.logger.error(
          `${context.topic}[${context.partition}]@${message.offset} could not be decided: ${describeError(error)}`,
        );
        deadLetter(message, 'invalid_fields', `could not be decided: ${describeError(error)}`);
      }
    }
    const records = [
      ...decisions.records,
      ...decisions.deadLetters.map((record) => deadLetterMessage(this.topics.deadLetter, record)),
    ];
    return { records, committed: () => this.committed(messages.length, decisions, context) };
  }

  private decideSms(
    message: KafkaMessage,
    decisions: BatchDecisions,
    now: Date,
    deadLetter: DeadLetter,
  ): void {
    const decoded = decodeRawSms(message.value);
    if (!decoded.ok) {
      deadLetter(message, decoded.reason, decoded.detail);
      return;
    }
    const sms = decoded.value;
    const id = `sms:${sms.messageId}`;
    if (decisions.ids.has(id) || this.recent.has(id)) return;
    const decision = decideSms(sms, this.options, now);
    decisions.ids.add(id);
    decisions.records.push(...decision.messages);
    decisions.outcomes.push(outcomeOf('sms', sms.to, decision));
  }

  private decideSubmitted(
    message: KafkaMessage,
    context: BatchContext,
    decisions: BatchDecisions,
    now: Date,
    deadLetter: DeadLetter,
  ): void {
    const decoded = decodeJsonMessage(anyJson, message.value);
    if (!decoded.ok) {
      deadLetter(message, decoded.reason, decoded.detail);
      return;
    }
    // A payload this deep costs every reader that walks it; it is no submission of ours.
    if (nestsDeeperThan(decoded.value, MAX_SUBMISSION_NESTING)) {
      deadLetter(message, 'invalid_json', `nested deeper than ${MAX_SUBMISSION_NESTING} levels`);
      return;
    }
    const decision = decideSubmitted(
      decoded.value,
      {
        coordinates: `${context.topic}:${context.partition}:${message.offset}`,
        brokerTime: brokerTimeOf(message, now),
      },
      this.options,
      now,
    );
    const id = `hotline:${decision.submissionId}`;
    if (decisions.ids.has(id) || this.recent.has(id)) return;
    decisions.ids.add(id);
    decisions.records.push(...decision.messages);
    decisions.outcomes.push(outcomeOf('hotline', null, decision));
  }

  /** After the commit: the batch is done, so it is counted, logged and remembered. */
  private committed(read: number, decisions: BatchDecisions, context: BatchContext): void {
    countIntake(this.metrics, decisions.outcomes);
    deadLettered(decisions.deadLetters, nestLogSink(this.logger), deadLetterCounter(this.metrics));
    this.recent.remember(decisions.ids);
    this.logger.debug(
      `${context.topic}[${context.partition}]: ${read} messages, ${decisions.outcomes.length} decided, ` +
        `${read - decisions.outcomes.length - decisions.deadLetters.length} seen lately, ` +
        `${decisions.deadLetters.length} dead-lettered`,
    );
  }
}
