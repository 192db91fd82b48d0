import { Injectable, Logger } from '@nestjs/common';
import { KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  BatchContext,
  deadLetterRecord,
  DeadLetterRecord,
  decodeJsonMessage,
  MAX_REJECTED_REPORTER_CHARS,
  rejectedReportSchema,
} from '@abuse-monitor/messaging';
import { printableText } from '@abuse-monitor/domain';
import { RejectionRow, RejectionsRepository } from '@abuse-monitor/persistence';
import { Metrics } from '@abuse-monitor/observability';
import { DeadLetterSenderService } from './dead-letter-sender.service';

/**
 * Stores the rejections of reports.rejected for the daily summary and retention, one statement
 * per batch. A rejection published twice (a gateway redelivery after an ingest restart) is stored
 * once, by its channel and source id.
 */
@Injectable()
export class RejectionSinkService {
  private readonly logger = new Logger(RejectionSinkService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly rejections: RejectionsRepository,
    private readonly deadLetters: DeadLetterSenderService,
    private readonly metrics: Metrics,
  ) {}

  async handleBatch(messages: KafkaMessage[], context: BatchContext): Promise<void> {
    const now = new Date();
    const rows = new Map<string, RejectionRow>();
    const deadLetters: DeadLetterRecord[] = [];
    for (const message of messages) {
      const decoded = decodeJsonMessage(rejectedReportSchema, message.value);
      if (!decoded.ok) {
        deadLetters.push(
          deadLetterRecord(context.topic, context.partition, message, decoded.reason, decoded.detail, now),
        );
        continue;
      }
      const r = decoded.value;
      rows.set(`${r.channel}:${r.sourceId}`, {
        channel: r.channel,
        sourceId: r.sourceId,
        shortCode: r.shortCode,
        // What was typed, odd characters (a bidi control, a NUL) shown as U+FFFD, as ingest does.
        reporter: printableText(r.reporter, MAX_REJECTED_REPORTER_CHARS),
        reason: r.reason,
        receivedAt: new Date(r.receivedAt),
      });
    }
    const stored = await this.metrics.time('dbTransactionDuration', { operation: 'store_rejections' }, () =>
      this.rejections.insertNew([...rows.values()], this.dataSource.manager),
    );
    await this.deadLetters.send(deadLetters, context);
    this.logger.debug(
      `${context.topic}[${context.partition}]: ${messages.length} rejections, ${stored} new, ` +
        `${deadLetters.length} dead-lettered`,
    );
  }
}
