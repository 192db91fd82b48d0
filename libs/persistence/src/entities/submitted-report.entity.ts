import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A report taken by a 156 hotline agent or an API client, as submitted, and its outcome. */
@Entity({ name: 'submitted_reports' })
@Index('submitted_reports_stored_at_idx', ['storedAt'])
@Index('submitted_reports_to_anonymise_idx', ['storedAt'], { where: '"anonymised_at" IS NULL' })
@Check('submitted_reports_outcome_check', `"outcome" IN ('accepted', 'rejected')`)
export class SubmittedReportEntity {
  /** `key:<idempotency key>`, or `kafka:<topic>:<partition>:<offset>` when the client gave none. */
  @PrimaryColumn({ name: 'submission_id', type: 'text' })
  submissionId!: string;

  @Column({ name: 'agent_id', type: 'text', nullable: true })
  agentId!: string | null;

  /** The submission as received; holds the reporter's number (personal data). */
  @Column({ type: 'jsonb' })
  payload!: unknown;

  @Column({ type: 'text' })
  outcome!: 'accepted' | 'rejected';

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'report_id', type: 'uuid', nullable: true })
  reportId!: string | null;

  @Column({ name: 'kafka_topic', type: 'text' })
  kafkaTopic!: string;

  @Column({ name: 'kafka_partition', type: 'integer' })
  kafkaPartition!: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  kafkaOffset!: string;

  @CreateDateColumn({ name: 'stored_at', type: 'timestamptz' })
  storedAt!: Date;

  /** Set when retention replaced the payload by its non-personal fields. */
  @Column({ name: 'anonymised_at', type: 'timestamptz', nullable: true })
  anonymisedAt!: Date | null;
}
