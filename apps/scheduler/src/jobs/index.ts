import { CampaignsJob } from './campaigns.job';
import { DailySummaryJob } from './daily-summary.job';
import { ExpiryJob } from './expiry.job';
import { RepeatOffendersJob } from './repeat-offenders.job';
import { RetentionJob } from './retention.job';
import { SlaEscalationJob } from './sla-escalation.job';

export const JOBS = [
  SlaEscalationJob,
  RepeatOffendersJob,
  ExpiryJob,
  RetentionJob,
  DailySummaryJob,
  CampaignsJob,
];
export { CampaignsJob, DailySummaryJob, ExpiryJob, RepeatOffendersJob, RetentionJob, SlaEscalationJob };
export { dateIn, previousDate } from './daily-summary.job';
