import { EntityManager } from 'typeorm';
import { storableJson, storableText } from './storable-text';

export interface SubmittedReportRow {
  submissionId: string;
  agentId: string | null;
  payload: unknown;
  outcome: 'accepted' | 'rejected';
  rejectionReason: string | null;
  reportId: string | null;
  kafkaTopic: string;
  kafkaPartition: number;
  kafkaOffset: string;
}

/** Hotline and API submissions, keyed by submission id so a repeat is stored once. */
export class SubmittedReportRepository {
  async insertNew(rows: readonly SubmittedReportRow[], manager: EntityManager): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const inserted: { submission_id: string }[] = await manager.query(
      `INSERT INTO submitted_reports
         (submission_id, agent_id, payload, outcome, rejection_reason, report_id,
          kafka_topic, kafka_partition, kafka_offset)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::uuid[],
                            $7::text[], $8::int[], $9::bigint[])
       ON CONFLICT (submission_id) DO NOTHING
       RETURNING submission_id`,
      [
        rows.map((r) => storableText(r.submissionId)),
        rows.map((r) => (r.agentId === null ? null : storableText(r.agentId))),
        rows.map((r) => JSON.stringify(storableJson(r.payload))),
        rows.map((r) => r.outcome),
        rows.map((r) => r.rejectionReason),
        rows.map((r) => r.reportId),
        rows.map((r) => r.kafkaTopic),
        rows.map((r) => r.kafkaPartition),
        rows.map((r) => r.kafkaOffset),
      ],
    );
    return new Set(inserted.map((r) => r.submission_id));
  }
}
