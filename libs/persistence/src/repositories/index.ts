export { ANONYMISED, JobsRepository } from './jobs.repository';
export type { DueFlag, JobRunLog, JobRunOutcome, Page, SlaBySeverity } from './jobs.repository';
export { DailySummaryRepository } from './daily-summary.repository';
export type { DayActivity } from './daily-summary.repository';
export type { Transaction } from './transaction';
