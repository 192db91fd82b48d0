import { EntityManager } from 'typeorm';
import { storableText } from './storable-text';

export interface RawSmsRow {
  messageId: string;
  reporter: string;
  shortCode: string;
  text: string;
  receivedAt: Date;
  kafkaTopic: string;
  kafkaPartition: number;
  kafkaOffset: string;
  outcome: 'accepted' | 'rejected';
  rejectionReason: string | null;
  reportId: string | null;
}

/** Raw gateway messages and what became of them, stored in one statement per batch. */
export class RawSmsMessageRepository {
  /** Inserts the rows whose messageId is new and returns those ids; known ids are skipped. */
  async insertNew(rows: readonly RawSmsRow[], manager: EntityManager): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const inserted: { message_id: string }[] = await manager.query(
      `INSERT INTO raw_sms_messages
         (message_id, reporter, short_code, text, received_at, kafka_topic, kafka_partition, kafka_offset,
          outcome, rejection_reason, report_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                            $6::text[], $7::int[], $8::bigint[], $9::text[], $10::text[], $11::uuid[])
       ON CONFLICT (message_id) DO NOTHING
       RETURNING message_id`,
      [
        rows.map((r) => storableText(r.messageId)),
        rows.map((r) => storableText(r.reporter)),
        rows.map((r) => storableText(r.shortCode)),
        rows.map((r) => storableText(r.text)),
        rows.map((r) => r.receivedAt.toISOString()),
        rows.map((r) => r.kafkaTopic),
        rows.map((r) => r.kafkaPartition),
        rows.map((r) => r.kafkaOffset),
        rows.map((r) => r.outcome),
        rows.map((r) => r.rejectionReason),
        rows.map((r) => r.reportId),
      ],
    );
    return new Set(inserted.map((r) => r.message_id));
  }
}
