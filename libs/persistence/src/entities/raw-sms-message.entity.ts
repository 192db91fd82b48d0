import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One message as the SMS gateway delivered it to 156 or 5656, before any parsing. Keyed by the
 * gateway's messageId so a redelivered message is stored once.
 */
@Entity({ name: 'raw_sms_messages' })
@Index('raw_sms_messages_received_at_idx', ['receivedAt'])
@Index('raw_sms_messages_to_anonymise_idx', ['receivedAt'], { where: '"anonymised_at" IS NULL' })
@Check('raw_sms_messages_outcome_check', `"outcome" IN ('accepted', 'rejected')`)
export class RawSmsMessageEntity {
  @PrimaryColumn({ name: 'message_id', type: 'text' })
  messageId!: string;

  /** The reporter's number as the gateway sent it: personal data, subject to retention. */
  @Column({ type: 'text' })
  reporter!: string;

  @Column({ name: 'short_code', type: 'text' })
  shortCode!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'kafka_topic', type: 'text' })
  kafkaTopic!: string;

  @Column({ name: 'kafka_partition', type: 'integer' })
  kafkaPartition!: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  kafkaOffset!: string;

  @Column({ type: 'text', nullable: true })
  outcome!: 'accepted' | 'rejected' | null;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'report_id', type: 'uuid', nullable: true })
  reportId!: string | null;

  @CreateDateColumn({ name: 'stored_at', type: 'timestamptz' })
  storedAt!: Date;

  /** Set when retention replaced the reporter and the text; the outcome and reason stay for the counts. */
  @Column({ name: 'anonymised_at', type: 'timestamptz', nullable: true })
  anonymisedAt!: Date | null;
}
