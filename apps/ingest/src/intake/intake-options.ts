import { TopicNames } from '@abuse-monitor/messaging';

export interface IntakeOptions {
  topics: TopicNames;
  maxReportLength: number;
  protectedNumbers: readonly string[];
}

export const REJECTED_TEXT_LIMIT = 500;

/** What an accepted report is counted by in the metrics (null when the message was rejected). */
export interface AcceptedLabels {
  kind: string;
  category: string;
  carrier: string | null;
}
