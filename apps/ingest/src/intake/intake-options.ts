import { TopicNames } from '@abuse-monitor/messaging';

export interface IntakeOptions {
  topics: TopicNames;
  maxReportLength: number;
  /** The short codes SMS reports are sent to, and replies sent from. */
  shortCodes: readonly string[];
  /** How long after a call its report may still be entered (hotline submissions' submittedAt). */
  maxSubmissionAgeMs: number;
}

export const REJECTED_TEXT_LIMIT = 500;

/** What an accepted report is counted by in the metrics (null when the message was rejected). */
export interface AcceptedLabels {
  kind: string;
  category: string;
  carrier: string | null;
}
