import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A message that did not become a report, and why: what the daily summary counts. The text is not
 * kept: the raw message stays on its topic for as long as that topic's retention allows.
 */
@Entity({ name: 'rejected_reports' })
@Index('rejected_reports_received_at_idx', ['receivedAt'])
@Index('rejected_reports_to_anonymise_idx', ['receivedAt'], { where: '"anonymised_at" IS NULL' })
@Check('rejected_reports_channel_check', `"channel" IN ('sms', 'hotline')`)
export class RejectedReportEntity {
  @PrimaryColumn({ type: 'text' })
  channel!: 'sms' | 'hotline';

  /** The gateway's messageId, or the hotline submission's id: a redelivery is stored once. */
  @PrimaryColumn({ name: 'source_id', type: 'text' })
  sourceId!: string;

  @Column({ name: 'short_code', type: 'text', nullable: true })
  shortCode!: string | null;

  /** Personal data, subject to retention. */
  @Column({ type: 'text' })
  reporter!: string;

  @Column({ type: 'text' })
  reason!: string;

  /** When the gateway received it (the broker's time for a hotline submission). */
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @CreateDateColumn({ name: 'stored_at', type: 'timestamptz' })
  storedAt!: Date;

  @Column({ name: 'anonymised_at', type: 'timestamptz', nullable: true })
  anonymisedAt!: Date | null;
}
