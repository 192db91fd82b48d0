import { CronTime } from 'cron';
import { z } from 'zod';
import {
  commonEnvShape,
  duration,
  positiveInt,
  listenHost,
  listenPort,
  milliseconds,
  slaEnvShape,
  timeZone,
  topicCreationEnvShape,
} from '@abuse-monitor/config';
import { LONGEST_WINDOW_SECONDS } from '@abuse-monitor/domain';

const cron = (job: string) =>
  z.string().refine(
    (expression) => {
      try {
        new CronTime(expression);
        return true;
      } catch {
        return false;
      }
    },
    { message: `expected a cron expression like '0 * * * *' or '*/30 * * * * *' (${job})` },
  );

const LONGEST_WINDOW_MS = LONGEST_WINDOW_SECONDS * 1000;

export const schedulerEnvSchema = z
  .object({
    ...commonEnvShape,
    METRICS_PORT: listenPort.default(9104).describe('port of `/metrics` and `/health/*` (0: any free port)'),
    METRICS_HOST: listenHost
      .default('127.0.0.1')
      .describe('address the metrics port listens on; the Dockerfile and docker-compose set `0.0.0.0`'),
    SCHEDULER_TIME_ZONE: timeZone.default('Asia/Ho_Chi_Minh').describe('time zone of the cron schedules'),
    JOB_BATCH_SIZE: positiveInt('rows a job changes per transaction')
      .default(500)
      .describe('rows a job changes per transaction'),
    SLA_ESCALATION_CRON: cron('SLA escalation')
      .default('0 * * * * *')
      .describe(
        'when `sla-escalation` runs (cron, seconds first): unclaimed flags go up a severity, overdue ones are marked',
      ),
    ...slaEnvShape,
    REPEAT_OFFENDERS_CRON: cron('repeat offenders')
      .default('30 */5 * * * *')
      .describe('when `repeat-offenders` runs: a warned or blocked number reported again reopens'),
    REPEAT_OFFENCE_PERIOD: duration('after an action, how long new reports count as a repeat offence')
      .default(2_592_000_000)
      .describe('after an action, how long new reports count as a repeat offence'),
    REPEAT_OFFENCE_NEW_REPORTERS: positiveInt('new reporters after an action that reopen the flag')
      .default(2)
      .describe('new reporters after an action that reopen the flag'),
    EXPIRY_CRON: cron('expiry')
      .default('15 7 * * * *')
      .describe('when `expiry` runs: quiet low flags expire, counters quiet for 30 days are zeroed'),
    EXPIRY_QUIET_PERIOD: duration('without new reports, a low flag expires after')
      .default(604_800_000)
      .describe('a low flag with no report for this long expires'),
    RETENTION_CRON: cron('retention')
      .default('0 30 3 * * *')
      .describe('when `retention` runs: old reporter numbers and report texts are anonymised'),
    RETENTION_PERIOD: duration('personal data of reports is anonymised after')
      .default(7_776_000_000)
      .describe('reporter numbers and report texts older than this are anonymised (more than 30 days)'),
    DAILY_SUMMARY_CRON: cron('daily summary')
      .default('0 15 0 * * *')
      .describe("when `daily-summary` runs: yesterday's summary is stored"),
    SUMMARY_TIME_ZONE: timeZone
      .default('Asia/Ho_Chi_Minh')
      .describe('time zone whose days the daily summary counts'),
    CAMPAIGNS_CRON: cron('campaigns')
      .default('45 * * * * *')
      .describe(
        "when `campaigns` runs: newly flagged numbers join campaigns or form new ones, an actioned campaign's next SIM is flagged",
      ),
    OUTBOX_POLL_INTERVAL_MS: milliseconds('between looks at the outbox besides notifications')
      .default(10_000)
      .describe(
        'milliseconds between looks at the outbox besides notifications (relays wake on LISTEN/NOTIFY)',
      ),
    ...topicCreationEnvShape,
  })
  // Counting needs the reporters of the last 30 days; anonymising them sooner would change counts.
  .refine((c) => c.RETENTION_PERIOD > LONGEST_WINDOW_MS, {
    message: `must be longer than the longest counting window (${LONGEST_WINDOW_SECONDS / 86_400} days)`,
    path: ['RETENTION_PERIOD'],
  });

export type SchedulerConfig = z.infer<typeof schedulerEnvSchema>;

export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');
export const CLOCK = Symbol('CLOCK');
export const SCHEDULER_TOPICS = Symbol('SCHEDULER_TOPICS');
