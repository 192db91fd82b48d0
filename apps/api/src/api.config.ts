import { z } from 'zod';
import {
  DEFAULT_AGENT_SUBMISSIONS_PER_HOUR,
  DEFAULT_APPEAL_SLA_MS,
  parseDecisionReasons,
} from '@abuse-monitor/domain';
import {
  commonEnvShape,
  duration,
  port,
  positiveInt,
  listenHost,
  listenPort,
  milliseconds,
  slaEnvShape,
  timeZone,
  topicCreationEnvShape,
} from '@abuse-monitor/config';

export const apiEnvSchema = z.object({
  ...commonEnvShape,
  METRICS_PORT: listenPort.default(9103).describe('port of `/metrics` and `/health/*` (0: any free port)'),
  METRICS_HOST: listenHost
    .default('127.0.0.1')
    .describe('address the metrics port listens on; the Dockerfile and docker-compose set `0.0.0.0`'),
  API_PORT: port.default(3000).describe('port of the API and the review console'),
  API_HOST: z.string().min(1).default('0.0.0.0').describe('address the API listens on'),
  API_MAX_BODY_BYTES: positiveInt('bytes a request body may have')
    .default(65_536)
    .describe('largest request body, in bytes'),
  API_RATE_LIMIT_PER_MINUTE: positiveInt('requests a token may make per minute')
    .default(600)
    .describe('requests per token (or address, without one) per minute, per replica'),
  API_FAILED_AUTH_PER_MINUTE: positiveInt('requests without a valid token an address may make per minute')
    .default(60)
    .describe('requests without a valid token an address may make per minute'),
  API_AGENT_SUBMISSIONS_PER_HOUR: positiveInt(
    'hotline submissions an agent may make per hour before the next ones are held for a supervisor',
  )
    .default(DEFAULT_AGENT_SUBMISSIONS_PER_HOUR)
    .describe('hotline submissions an agent may make per hour; later ones are held for a supervisor'),
  API_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('take the client address from X-Forwarded-For (behind a reverse proxy)'),
  API_DECISION_REASONS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const parsed = parseDecisionReasons(text);
      if (parsed.ok) return parsed.reasons;
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    })
    .describe(
      'reason codes offered per kind of decision, `act=a,b;dismiss=c;watch=d;reopen=e`; a kind left out keeps ' +
        'its default list (decision 0046)',
    ),
  API_SESSION_TTL: duration('how long a sign-in session lasts')
    .default(12 * 3_600_000)
    .refine((ms) => ms <= 30 * 86_400_000, { message: 'a session lasts at most 30d' })
    .describe('how long a console sign-in session lasts (never beyond its token); at most 30d'),
  API_SESSION_IDLE_TIMEOUT: duration('how long an unused session stays signed in')
    .default(30 * 60_000)
    .refine((ms) => ms >= 5 * 60_000, { message: 'at least 5m: last use is recorded to the minute' })
    .describe('a console session unused this long has ended (at least 5m; decision 0059)'),
  API_SESSIONS_PER_TOKEN: positiveInt('live sessions a token may have')
    .default(10)
    .describe('live console sessions per token; signing in beyond it ends the oldest (decision 0059)'),
  API_SESSION_COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe(
      'mark the session cookie `Secure` (and name it `__Host-`); `false` only for plain http on localhost ' +
        '(refused unless `API_HOST` is a loopback address)',
    ),
  APPEAL_SLA: duration('time to decide an appeal')
    .default(DEFAULT_APPEAL_SLA_MS)
    .describe(
      'a supervisor should decide an appeal within this of its receipt; past it the appeal is overdue (decision 0064)',
    ),
  SUMMARY_TIME_ZONE: timeZone
    .default('Asia/Ho_Chi_Minh')
    .describe(
      "time zone whose days the console's charts count reports in; set it as the scheduler's, so they match the daily summary",
    ),
  ...topicCreationEnvShape,
  ...slaEnvShape,
  OUTBOX_POLL_INTERVAL_MS: milliseconds('between looks at the outbox besides notifications')
    .default(10_000)
    .describe(
      'milliseconds between looks at the outbox besides notifications (relays wake on LISTEN/NOTIFY)',
    ),
  // The same bound as ingest's: an agent hears of a report too old at once, not never.
  HOTLINE_MAX_REPORT_AGE: duration('how long after a call its report may be entered')
    .default(7 * 86_400_000)
    .describe('how long after a call its report may be entered (`submittedAt`; 5 minutes ahead at most)'),
});

export type ApiConfig = z.infer<typeof apiEnvSchema>;

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/**
 * What no single variable can say: a cookie without `Secure` travels in clear over any plain-http
 * hop, so it is refused unless the API listens on loopback only (a developer's machine).
 */
export function apiConfigProblems(
  config: Pick<ApiConfig, 'API_HOST' | 'API_SESSION_COOKIE_SECURE'>,
): string[] {
  if (!config.API_SESSION_COOKIE_SECURE && !LOOPBACK.test(config.API_HOST))
    return [
      `API_SESSION_COOKIE_SECURE=false is for plain http on localhost, but API_HOST is ${config.API_HOST}: ` +
        'serve the API over https (directly or behind a proxy) and leave the cookie Secure',
    ];
  return [];
}
