import { CreateRawSmsMessages1764400000000 } from './1764400000000-CreateRawSmsMessages';
import { ReportIntake1764500000000 } from './1764500000000-ReportIntake';

/**
 * Every migration, in order. Listed explicitly rather than globbed so the same list works from
 * TypeScript (tests, the TypeORM CLI) and from the compiled apps. A generated migration is added here.
 */
export const MIGRATIONS = [CreateRawSmsMessages1764400000000, ReportIntake1764500000000];
