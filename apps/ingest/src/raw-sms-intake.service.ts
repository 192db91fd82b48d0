import { Inject, Injectable, Logger } from '@nestjs/common';
import { KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  BatchContext,
  deadLetterRecord,
  decodeRawSms,
  Publisher,
  topicNames,
} from '@abuse-monitor/messaging';
import { RawSmsMessageRepository, RawSmsRow } from '@abuse-monitor/persistence';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';

/**
 * Turns one batch from reports.sms.raw into stored rows and dead-letter records. Safe to run
 * twice on the same batch: rows are keyed by messageId, and a dead-letter record carries its
 * source offset so a repeat is recognisable.
 */
@Injectable()
export class RawSmsIntakeService {
  private readonly logger = new Logger(RawSmsIntakeService.name);
  private readonly repository: RawSmsMessageRepository;
  private readonly deadLetterTopic: string;

  constructor(
    dataSource: DataSource,
    private readonly publisher: Publisher,
    @Inject(INGEST_CONFIG) config: IngestConfig,
  ) {
    this.repository = new RawSmsMessageRepository(dataSource);
    this.deadLetterTopic = topicNames(config.KAFKA_TOPIC_PREFIX).deadLetter;
  }

  async handleBatch(messages: KafkaMessage[], context: BatchContext): Promise<void> {
    const rows: RawSmsRow[] = [];
    const deadLetters = [];
    const now = new Date();
    for (const message of messages) {
      const decoded = decodeRawSms(message.value);
      if (decoded.ok) {
        rows.push({
          messageId: decoded.value.messageId,
          reporter: decoded.value.from,
          shortCode: decoded.value.to,
          text: decoded.value.text,
          receivedAt: decoded.value.receivedAt,
          kafkaTopic: context.topic,
          kafkaPartition: context.partition,
          kafkaOffset: message.offset,
        });
      } else {
        deadLetters.push(
          deadLetterRecord(context.topic, context.partition, message, decoded.reason, decoded.detail, now),
        );
      }
    }
    const stored = await this.repository.insertNew(rows);
    await this.publisher.send(
      this.deadLetterTopic,
      deadLetters.map((record) => ({
        key: `${record.source.topic}:${record.source.partition}:${record.source.offset}`,
        value: JSON.stringify(record),
      })),
      context.shouldContinue,
    );
    for (const record of deadLetters) {
      this.logger.warn(
        `dead-lettered ${record.source.topic}[${record.source.partition}]@${record.source.offset}: ${record.reason}: ${record.detail}`,
      );
    }
    this.logger.debug(
      `${context.topic}[${context.partition}]: ${messages.length} messages, ${stored} stored, ${rows.length - stored} already known, ${deadLetters.length} dead-lettered`,
    );
  }
}
