import { OutboxMessageEntity } from './outbox-message.entity';
import { RawSmsMessageEntity } from './raw-sms-message.entity';
import { SubmittedReportEntity } from './submitted-report.entity';

export { OutboxMessageEntity, RawSmsMessageEntity, SubmittedReportEntity };

export const ENTITIES = [RawSmsMessageEntity, SubmittedReportEntity, OutboxMessageEntity];
