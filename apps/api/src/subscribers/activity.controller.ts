import { Controller, Inject } from '@nestjs/common';
import { z } from 'zod';
import { normalizeNumber } from '@abuse-monitor/domain';
import {
  ACTIVITY_BUCKETS,
  ActivityBucket,
  ActivityRow,
  SummariesRepository,
} from '@abuse-monitor/persistence';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { anyNotationNumber } from '../http/common-schemas';
import { defineEndpoint, Endpoint, EndpointInput } from '../http/endpoint';
import { Input } from '../http/input.decorator';

/**
 * Reports over time, for the console's charts (decision 0067): counted per hour or per day in
 * SQL, so a number reported a hundred thousand times still answers with 168 or 30 figures.
 */

/** Hourly bars beyond a week are too thin to read at 1280 px; daily ones cover the counters' 30 days. */
const MAX_DAYS: Record<ActivityBucket, number> = { hour: 7, day: 31 };
const DEFAULT_DAYS: Record<ActivityBucket, number> = { hour: 7, day: 30 };
/** A queue page is at most 200 flags (MAX_PAGE_SIZE); the trend is asked for one page at a time. */
const MAX_NUMBERS = 200;

const span = {
  bucket: z.enum(ACTIVITY_BUCKETS).default('hour').describe('width of a bar: an hour or a day'),
  days: z
    .string()
    .regex(/^\d{1,2}$/, 'expected a whole number of days')
    .transform(Number)
    .pipe(z.number().int().min(1))
    .optional()
    .describe('how many days back, up to 7 by the hour and 31 by the day (default 7 and 30)'),
};

/** The hourly limit of `days` is checked with the bucket it depends on. */
function withinLimit(query: { bucket: ActivityBucket; days?: number }, ctx: z.RefinementCtx): void {
  const max = MAX_DAYS[query.bucket];
  if (query.days !== undefined && query.days > max)
    ctx.addIssue({ code: 'custom', path: ['days'], message: `at most ${max} days by the ${query.bucket}` });
}

const time = z.string().describe('ISO 8601 UTC');
const bucketView = z.object({ start: time, reports: z.number().int() });
const seriesView = z.object({
  reportedNumber: z.string(),
  total: z.number().int(),
  buckets: z.array(bucketView).describe('every bucket of the span, oldest first, zero when empty'),
});
const spanView = {
  bucket: z.enum(ACTIVITY_BUCKETS),
  timeZone: z
    .string()
    .describe("the zone buckets are cut in (SUMMARY_TIME_ZONE): a day is the operator's day"),
  from: time.describe('start of the first bucket'),
  to: time.describe('end of the last bucket (the one holding now)'),
};

export const getSubscriberActivity = defineEndpoint({
  operationId: 'getSubscriberActivity',
  method: 'get',
  path: '/api/v1/subscribers/{number}/activity',
  tag: 'subscribers',
  summary: "A number's reports per hour or per day, up to now",
  description:
    'The buckets end with the one holding the current moment; hours and days are those of ' +
    "`SUMMARY_TIME_ZONE`, the daily summary's zone. A number nobody reported has every bucket at zero.",
  permission: 'subscribers:read',
  params: z.object({ number: anyNotationNumber }).strict(),
  query: z.object(span).strict().superRefine(withinLimit),
  response: z.object({ ...spanView, ...seriesView.shape }),
});

const numberList = z
  .string()
  .max(MAX_NUMBERS * 20)
  .transform((text, ctx) => {
    const written = [...new Set(text.split(',').map((n) => n.trim()))];
    if (written.length > MAX_NUMBERS) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_NUMBERS} numbers` });
      return z.NEVER;
    }
    const numbers: string[] = [];
    for (const number of written) {
      const normalized = normalizeNumber(number);
      if (!normalized.ok) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(number.slice(0, 40))} is not a Vietnamese phone number (${normalized.reason})`,
        });
        return z.NEVER;
      }
      numbers.push(normalized.e164);
    }
    return [...new Set(numbers)];
  })
  .describe(`comma-separated numbers, any notation, at most ${MAX_NUMBERS}`);

export const getReportActivity = defineEndpoint({
  operationId: 'getReportActivity',
  method: 'get',
  path: '/api/v1/report-activity',
  tag: 'subscribers',
  summary: "Reports per hour or per day for several numbers at once (a queue page's trends), in one query",
  description:
    'As GET /api/v1/subscribers/{number}/activity for each number, in the order given (each number ' +
    'once, in its E.164 form).',
  permission: 'subscribers:read',
  query: z
    .object({ numbers: numberList, ...span })
    .strict()
    .superRefine(withinLimit),
  response: z.object({ ...spanView, numbers: z.array(seriesView) }),
});

@Controller()
export class ActivityController {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly summaries: SummariesRepository,
  ) {}

  @Endpoint(getSubscriberActivity)
  async one(@Input() input: EndpointInput<typeof getSubscriberActivity>) {
    const { bucket, days } = input.query;
    const answer = await this.series([input.params.number], bucket, days);
    const { numbers, ...rest } = answer;
    return { ...rest, ...numbers[0] };
  }

  @Endpoint(getReportActivity)
  many(@Input() input: EndpointInput<typeof getReportActivity>) {
    const { numbers, bucket, days } = input.query;
    return this.series(numbers, bucket, days);
  }

  private async series(numbers: string[], bucket: ActivityBucket, days: number | undefined) {
    const count = (days ?? DEFAULT_DAYS[bucket]) * (bucket === 'hour' ? 24 : 1);
    const timeZone = this.config.SUMMARY_TIME_ZONE;
    const rows = await this.summaries.activity(numbers, bucket, count, new Date(), timeZone);
    const byNumber = new Map<string, ActivityRow[]>();
    for (const row of rows) {
      const series = byNumber.get(row.reported_number);
      if (series) series.push(row);
      else byNumber.set(row.reported_number, [row]);
    }
    const first = rows[0];
    const last = rows.length > 0 ? rows[rows.length - 1] : undefined;
    return {
      bucket,
      timeZone,
      from: first ? first.start.toISOString() : new Date().toISOString(),
      to: last ? last.end.toISOString() : new Date().toISOString(),
      numbers: numbers.map((reportedNumber) => {
        const series = byNumber.get(reportedNumber) ?? [];
        return {
          reportedNumber,
          total: series.reduce((sum, row) => sum + row.reports, 0),
          buckets: series.map((row) => ({ start: row.start.toISOString(), reports: row.reports })),
        };
      }),
    };
  }
}
