import { DataSource, EntityManager } from 'typeorm';

export interface RawSmsRow {
  messageId: string;
  reporter: string;
  shortCode: string;
  text: string;
  receivedAt: Date;
  kafkaTopic: string;
  kafkaPartition: number;
  kafkaOffset: string;
}

/** Stores raw gateway messages in one multi-row statement per batch. */
export class RawSmsMessageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the rows that are new and returns how many were; a known messageId is skipped. */
  async insertNew(rows: readonly RawSmsRow[], manager?: EntityManager): Promise<number> {
    if (rows.length === 0) return 0;
    const runner = manager ?? this.dataSource.manager;
    const inserted: unknown[] = await runner.query(
      `INSERT INTO raw_sms_messages
         (message_id, reporter, short_code, text, received_at, kafka_topic, kafka_partition, kafka_offset)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                            $6::text[], $7::int[], $8::bigint[])
       ON CONFLICT (message_id) DO NOTHING
       RETURNING message_id`,
      [
        rows.map((r) => r.messageId),
        rows.map((r) => r.reporter),
        rows.map((r) => r.shortCode),
        rows.map((r) => r.text),
        rows.map((r) => r.receivedAt.toISOString()),
        rows.map((r) => r.kafkaTopic),
        rows.map((r) => r.kafkaPartition),
        rows.map((r) => r.kafkaOffset),
      ],
    );
    return inserted.length;
  }
}
