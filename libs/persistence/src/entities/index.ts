import { OutboxMessageEntity } from './outbox-message.entity';
import { RawSmsMessageEntity } from './raw-sms-message.entity';
import { RejectedReportEntity } from './rejected-report.entity';
import { SubmittedReportEntity } from './submitted-report.entity';

export { OutboxMessageEntity, RawSmsMessageEntity, RejectedReportEntity, SubmittedReportEntity };

export const ENTITIES = [
  RawSmsMessageEntity,
  SubmittedReportEntity,
  OutboxMessageEntity,
  RejectedReportEntity,
];
