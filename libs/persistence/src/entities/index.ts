import { RawSmsMessageEntity } from './raw-sms-message.entity';

export { RawSmsMessageEntity };

export const ENTITIES = [RawSmsMessageEntity];
