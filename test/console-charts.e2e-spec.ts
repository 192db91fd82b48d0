import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { summarizeDay } from '@abuse-monitor/domain';
import { ApiClient, createToken, expectProblem, Json, startApi } from './support/api';
import { accessibilityViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { screenshot, signInToConsole } from './support/console-page';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { seedFlag, seedReports } from './support/seed';

/**
 * Issue 21's pictures and pages in a real Chromium (decision 0067): a number's reports per hour
 * and per day on its flag's page with the flag's changes marked, a week's trend per queue row,
 * the daily summary of a range with its charts and CSV, and the campaigns list and page with a
 * claim and a decision, and a supervisor's take out, merge and split. Seeded data gives exact bar counts; every page is checked with axe-core,
 * for CSP refusals, and pictured in reports/console/.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 'Asia/Ho_Chi_Minh';
/** The charted number: 2 reports 3 h ago, 1 report 30 h ago, 3 reports 5 days ago, 1 forty days ago. */
const CHARTED = '+84987200101';
const OTHER = '+84987200102';
const MEMBERS = ['+84987200201', '+84987200202'];
const FAR = '+84987200301';
const DAY_ONE = '2026-11-28';
const DAY_TWO = '2026-11-29';

const nonZeroBars = (page: Page, scope: string) =>
  page
    .locator(`${scope} rect.bar`)
    .evaluateAll((rects) => rects.filter((bar) => Number(bar.getAttribute('data-value')) > 0).length);

describe('charts, the daily summary and campaigns in the console', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let browser: Browser;
  let analyst: string;
  let supervisor: string;
  let flagId: string;
  let openCampaign: string;
  let farCampaign: string;
  const now = Date.now();

  /** A campaign as the scheduler's grouping would leave it, each member with its own flag. */
  const campaign = async (status: string, severity: string, carrier: string, members: string[]) => {
    const at = (ago: number) => new Date(now - ago);
    const [{ id }] = await f.db.query<{ id: string }>(
      `INSERT INTO campaigns (status, severity, severity_reason, rules_version, member_count, distinct_reporters,
                              carriers, first_seen_at, last_seen_at, fingerprints, opened_at, taken_action)
       VALUES ($1, $2, 'seeded', 1, $3, 6, ARRAY[$4], $5, $5, '{}', $5, $6) RETURNING id`,
      [status, severity, members.length, carrier, at(DAY), status === 'actioned' ? 'block_both' : null],
    );
    for (const number of members) {
      const flag = await seedFlag(f.db, {
        number,
        openedAt: at(DAY),
        status: status === 'actioned' ? 'actioned' : 'open',
        takenAction: status === 'actioned' ? 'block_both' : null,
      });
      await f.db.query(
        `INSERT INTO campaign_members (reported_number, campaign_id, flag_id, evidence, joined_at, joined_by)
         VALUES ($1, $2, $3, $4::jsonb, $5, 'scheduler')`,
        [
          number,
          id,
          flag,
          JSON.stringify({ links: [{ with: members[0], explanation: 'reports with the same text' }] }),
          at(DAY),
        ],
      );
    }
    await f.db.query(
      `INSERT INTO campaign_history (campaign_id, sequence, change, from_status, to_status, actor, details, occurred_at)
       VALUES ($1, 1, 'opened', NULL, 'open', 'scheduler', '{}'::jsonb, $2)`,
      [id, at(DAY)],
    );
    return id;
  };

  beforeAll(async () => {
    f = await harness.fixture('console-charts');
    [api, browser] = await Promise.all([startApi(harness, f, { SUMMARY_TIME_ZONE: ZONE }), launchChromium()]);
    [analyst, supervisor] = (
      await Promise.all([
        createToken(f.db.url, 'analyst-c', 'analyst'),
        createToken(f.db.url, 'sup-c', 'supervisor'),
      ])
    ).map((t) => t.secret);
    const at = (ago: number) => new Date(now - ago);
    // Minutes into the hour before now: reports written "3 h ago" stay in one hour whatever the clock.
    const inHour = (hoursAgo: number, minute: number) =>
      new Date(Math.floor(now / HOUR) * HOUR - hoursAgo * HOUR + minute * 60_000);
    const reporter = (i: number) => `+8491200${String(1000 + i)}`;
    await seedReports(f.db, [
      { reportedNumber: CHARTED, reporter: reporter(1), receivedAt: inHour(3, 10) },
      { reportedNumber: CHARTED, reporter: reporter(2), receivedAt: inHour(3, 40) },
      { reportedNumber: CHARTED, reporter: reporter(3), receivedAt: inHour(30, 5) },
      { reportedNumber: CHARTED, reporter: reporter(4), receivedAt: inHour(120, 1) },
      { reportedNumber: CHARTED, reporter: reporter(5), receivedAt: inHour(120, 30) },
      { reportedNumber: CHARTED, reporter: reporter(6), receivedAt: inHour(120, 59) },
      { reportedNumber: CHARTED, reporter: reporter(7), receivedAt: at(40 * DAY) },
      { reportedNumber: OTHER, reporter: reporter(8), receivedAt: at(2 * HOUR) },
    ]);
    flagId = await seedFlag(f.db, { number: CHARTED, openedAt: at(2 * HOUR), severity: 'high' });

    // Two stored summaries, the second with a short code a spreadsheet would run as a formula.
    const summaries = [
      summarizeDay({
        date: DAY_ONE,
        timeZone: ZONE,
        reports: [
          {
            channel: 'sms',
            shortCode: '156',
            kind: 'spam_sms',
            category: 'advertising',
            carrier: 'viettel',
            count: 5,
          },
          {
            channel: 'hotline',
            shortCode: null,
            kind: 'scam_call',
            category: 'impersonation',
            carrier: 'mobifone',
            count: 2,
          },
        ],
        rejections: [],
        flagChanges: [
          { change: 'opened', takenAction: null, count: 3 },
          { change: 'actioned', takenAction: 'warn', count: 1 },
          { change: 'appealed', takenAction: null, count: 3 },
          { change: 'appeal_upheld', takenAction: null, count: 1 },
          { change: 'lifted', takenAction: null, count: 2 },
        ],
        actionDelaysMs: [90 * 60_000],
        appealsOverdue: 1,
      }),
      summarizeDay({
        date: DAY_TWO,
        timeZone: ZONE,
        reports: [
          {
            channel: 'sms',
            shortCode: '=1+1',
            kind: 'spam_call',
            category: 'gambling',
            carrier: 'viettel',
            count: 4,
          },
        ],
        rejections: [],
        flagChanges: [{ change: 'opened', takenAction: null, count: 1 }],
        actionDelaysMs: [],
      }),
    ];
    for (const summary of summaries)
      await f.db.query(`INSERT INTO daily_summaries (day, time_zone, summary) VALUES ($1, $2, $3::jsonb)`, [
        summary.date,
        ZONE,
        JSON.stringify(summary),
      ]);

    // Campaigns as the scheduler's grouping would leave them: one open with two members, one actioned.
    openCampaign = await campaign('open', 'high', 'viettel', MEMBERS);
    farCampaign = await campaign('actioned', 'low', 'mobifone', [FAR]);
  });
  afterAll(async () => {
    await browser?.close();
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('counts a number’s reports per hour and per day in the operator’s zone, every bucket present', async () => {
    const hourly = await api.get(`/api/v1/subscribers/0987200101/activity?bucket=hour`, analyst);
    expect(hourly.status).toBe(200);
    expect(hourly.body).toMatchObject({ reportedNumber: CHARTED, bucket: 'hour', timeZone: ZONE, total: 6 });
    expect(hourly.body.buckets).toHaveLength(168);
    expect(hourly.body.buckets.map((b: Json) => b.reports).filter((n: number) => n > 0)).toEqual([3, 1, 2]);
    expect(Date.parse(hourly.body.to) - Date.parse(hourly.body.from)).toBe(168 * HOUR);
    expect(Date.parse(hourly.body.to)).toBeGreaterThan(now);

    const daily = await api.get(
      `/api/v1/subscribers/${encodeURIComponent(CHARTED)}/activity?bucket=day&days=30`,
      analyst,
    );
    expect(daily.body.buckets).toHaveLength(30);
    expect(daily.body.total).toBe(6);
    // A day starts at midnight in Ho Chi Minh City: 17:00 UTC.
    expect(daily.body.buckets.every((b: Json) => b.start.endsWith('T17:00:00.000Z'))).toBe(true);

    const page = await api.get(
      `/api/v1/report-activity?bucket=day&days=7&numbers=${encodeURIComponent(`${CHARTED},0987200102,${FAR}`)}`,
      analyst,
    );
    expect(page.body.numbers.map((n: Json) => [n.reportedNumber, n.total, n.buckets.length])).toEqual([
      [CHARTED, 6, 7],
      [OTHER, 1, 7],
      [FAR, 0, 7],
    ]);

    expectProblem(await api.get(`/api/v1/subscribers/${CHARTED}/activity?bucket=hour&days=30`, analyst), 400);
    expectProblem(await api.get(`/api/v1/subscribers/${CHARTED}/activity?bucket=week`, analyst), 400);
    expectProblem(
      await api.get(`/api/v1/report-activity?numbers=${encodeURIComponent(`${CHARTED},=SUM(A1)`)}`, analyst),
      400,
    );
    expectProblem(await api.get(`/api/v1/summaries?from=${DAY_TWO}&to=${DAY_ONE}`, supervisor), 400);
    expectProblem(await api.get(`/api/v1/summaries?from=2026-10-01&to=2026-11-30`, supervisor), 400);
  });

  it('draws 168 hourly bars with 3 of them non-zero and the flag’s opening marked, and 30 daily bars', async () => {
    const { page, problems } = await signInToConsole(browser, api.baseUrl, analyst);
    await page.goto(`${api.baseUrl}/console/#/flags/${flagId}`);
    const chart = page.getByRole('region', { name: 'Reports over time' });
    await chart.getByRole('img', { name: /Reports per hour over the last 7 days/ }).waitFor();
    expect(await chart.locator('rect.bar').count()).toBe(168);
    expect(await nonZeroBars(page, 'section.activity')).toBe(3);
    expect(await chart.locator('line.marker').count()).toBe(1);
    expect(await chart.locator('ol.chart-markers li').allTextContents()).toEqual([
      expect.stringMatching(/^Opened: /),
    ]);
    // The figures themselves, for screen readers: one row per hour.
    expect(await chart.locator('table.chart-data tbody tr').count()).toBe(168);
    expect(await chart.getByRole('img').getAttribute('aria-labelledby')).toMatch(
      /^chart-title-\d+ chart-desc-\d+$/,
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'flag-activity');

    await chart.getByRole('button', { name: 'Days, last 30 days' }).click();
    await chart.getByRole('img', { name: /Reports per day over the last 30 days/ }).waitFor();
    expect(await chart.locator('rect.bar').count()).toBe(30);
    expect(await nonZeroBars(page, 'section.activity')).toBe(3);
    expect(await chart.getByRole('button', { name: 'Days, last 30 days' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await accessibilityViolations(page)).toEqual([]);

    // The queue: a week's trend beside each flag, from one request for the page.
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/report-activity')) asked.push(request.url());
    });
    await page.goto(`${api.baseUrl}/console/#/queue?status=open`);
    const trend = page.locator(`tr[data-flag-id="${flagId}"] span.trend svg`);
    await trend.waitFor();
    const name = (await trend.getAttribute('aria-label')) ?? '';
    expect(name).toMatch(/^Reports per day over the last 7 days: /);
    expect(
      name
        .split(': ')[1]
        .split(', ')
        .map(Number)
        .reduce((a, b) => a + b, 0),
    ).toBe(6);
    expect(await page.locator('span.trend svg').count()).toBe(3);
    expect(asked).toHaveLength(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'queue-trends');

    // The summary is for supervisors: an analyst is not offered it.
    expect(await page.getByRole('link', { name: 'Daily summary' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('summarises a range with its charts and downloads it as CSV, formulas made inert', async () => {
    const { page, problems } = await signInToConsole(browser, api.baseUrl, supervisor);
    await page.getByRole('link', { name: 'Daily summary' }).click();
    await page.getByRole('heading', { level: 1, name: 'Daily summary' }).waitFor();
    await page.goto(`${api.baseUrl}/console/#/summary?from=${DAY_ONE}&to=${DAY_TWO}`);
    await page.getByRole('img', { name: /^Reports per day/ }).waitFor();
    expect(await page.locator('figure.chart').count()).toBe(10);
    const bars = (title: string) =>
      page
        .locator('figure.chart')
        .filter({ has: page.locator('figcaption strong', { hasText: new RegExp(`^${title}$`) }) })
        .locator('rect.bar')
        .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-value'))));
    expect(await bars('Reports per day')).toEqual([7, 4]);
    expect(await bars('Flags opened per day')).toEqual([3, 1]);
    expect(await bars('Reports by channel')).toEqual([2, 9]);
    expect(await bars('Reports by carrier')).toEqual([2, 9]);
    expect(await bars('Reports by kind')).toHaveLength(3);
    expect(await bars('Flags')).toEqual([4, 0, 1, 0, 0]);
    expect(await bars('Time to action, in minutes')).toEqual([90, 0]);
    expect(await bars('Appeals')).toEqual([3, 1, 2, 1]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'summary');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`summaries-${DAY_ONE}-to-${DAY_TWO}.csv`);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('date,section,key,value');
    expect(lines).toContain(`${DAY_ONE},reports,total,7`);
    expect(lines).toContain(`${DAY_TWO},reports,total,4`);
    expect(lines).toContain(`${DAY_TWO},reports.byShortCode,'=1+1,4`);
    await page.getByRole('status').filter({ hasText: 'The CSV file was downloaded.' }).waitFor();

    // A single day, and one without a summary, named rather than made up.
    await page.goto(`${api.baseUrl}/console/#/summary?from=${DAY_TWO}&to=2026-11-30`);
    await page.getByText('No summary was made for 30 Nov: it is left out.').waitFor();
    expect(await page.locator('figure.chart').count()).toBe(7);
    expect(await bars('Reports by channel')).toEqual([4]);
    expect(await bars('Appeals')).toEqual([0, 0, 0, 0]);
    expect(await bars('Time to action, in minutes')).toEqual([0, 0]);
    expect(problems).toEqual([]);
  });

  it('lists campaigns filtered in the address, and claims and decides one from its page', async () => {
    const { page, problems } = await signInToConsole(browser, api.baseUrl, analyst);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { level: 1, name: 'Campaigns' }).waitFor();
    const rows = page.locator('table.campaigns tbody tr');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-campaign')))).toEqual([
      openCampaign,
    ]);
    await screenshot(page, 'campaigns');

    // Every status, MobiFone only: the filter goes into the address, so a link shares it.
    const filter = page.getByRole('form', { name: 'Filter the campaigns' });
    for (const status of ['Actioned', 'Dismissed']) await filter.getByLabel(status, { exact: true }).check();
    await filter.getByLabel('Carrier').selectOption('mobifone');
    await filter.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/carrier=mobifone/);
    expect(page.url()).toContain(
      '#/campaigns?status=open%2Cin_review%2Cactioned%2Cdismissed&carrier=mobifone',
    );
    await rows.filter({ hasText: `Campaign ${farCampaign}` }).waitFor();
    expect(await rows.count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.goto(`${api.baseUrl}/console/#/campaigns/${openCampaign}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Campaign ${openCampaign}`) }).waitFor();
    const members = page.getByRole('table', { name: 'Members' });
    await members.waitFor();
    expect(await members.locator('tbody tr').count()).toBe(2);
    expect(await members.getByText('reports with the same text').count()).toBe(2);
    // Taking a member out is a supervisor's: an analyst is not offered it.
    expect(await page.getByRole('button', { name: /^Take out .* from the campaign$/ }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'campaign');

    await page.getByRole('button', { name: 'Claim this campaign' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `You claimed campaign ${openCampaign}.` })
      .waitFor();
    const decision = page.getByRole('form', { name: 'One decision on every member' });
    await decision.getByLabel('Decision').selectOption('dismiss');
    await decision.getByLabel('Reason').selectOption('not_abuse');
    await decision.getByLabel('Note (optional)').fill('Khách hàng hợp pháp');
    expect(await accessibilityViolations(page)).toEqual([]);
    await decision.getByRole('button', { name: 'Record the decision' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Recorded: 2 member flags changed, 0 left as they were.' })
      .waitFor();
    expect(await page.getByRole('region', { name: 'Timeline' }).locator('li').allTextContents()).toEqual([
      expect.stringMatching(/^Opened by scheduler/),
      expect.stringMatching(/^Claimed by analyst-c/),
      expect.stringMatching(/^Dismissed by analyst-c.*Khách hàng hợp pháp$/),
    ]);
    const stored = await api.get(`/api/v1/campaigns/${openCampaign}`, analyst);
    expect(stored.body.status).toBe('dismissed');
    expect(stored.body.members.map((m: Json) => m.flagStatus)).toEqual(['dismissed', 'dismissed']);

    // A supervisor is offered taking a member out of a campaign.
    const other = await signInToConsole(browser, api.baseUrl, supervisor);
    await other.page.goto(`${api.baseUrl}/console/#/campaigns/${farCampaign}`);
    await other.page.getByRole('button', { name: 'Take out 0987 200 301 from the campaign' }).waitFor();
    expect(problems).toEqual([]);
    expect(other.problems).toEqual([]);
  });

  it('lets a supervisor take a member out, merge a campaign in and split members off; an analyst none of it', async () => {
    const [kept, leaving, splitting] = ['+84987200401', '+84987200402', '+84987200403'];
    const joining = '+84987200411';
    const target = await campaign('open', 'medium', 'viettel', [kept, leaving, splitting]);
    const merging = await campaign('open', 'low', 'viettel', [joining]);
    const stored = async (id: string) => (await api.get(`/api/v1/campaigns/${id}`, supervisor)).body;
    const numbers = async (id: string) => (await stored(id)).members.map((m: Json) => m.reportedNumber);

    // An analyst reads the campaign but is offered no grouping decision.
    const reader = await signInToConsole(browser, api.baseUrl, analyst);
    await reader.page.goto(`${api.baseUrl}/console/#/campaigns/${target}`);
    await reader.page.getByRole('table', { name: 'Members' }).locator('tbody tr').nth(2).waitFor();
    for (const name of [/^Take out /, /^Merge it into/, /^Split off/])
      expect(await reader.page.getByRole('button', { name }).count()).toBe(0);
    expect(await reader.page.getByRole('checkbox').count()).toBe(0);
    expect(await reader.page.getByRole('region', { name: 'Grouping' }).count()).toBe(0);
    expect(reader.problems).toEqual([]);

    const { page, problems } = await signInToConsole(browser, api.baseUrl, supervisor);
    await page.goto(`${api.baseUrl}/console/#/campaigns/${target}`);
    await page.getByRole('button', { name: 'Take out 0987 200 402 from the campaign' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: '0987 200 402 was taken out of the campaign.' })
      .waitFor();
    expect(await numbers(target)).toEqual([kept, splitting]);

    // An unknown campaign is refused in words beside the form, which keeps what was typed.
    const merge = page.getByRole('form', { name: 'Merge another campaign into this one' });
    await merge.getByLabel('The other campaign’s number').fill('999999');
    await merge.getByRole('button', { name: 'Merge it into this campaign' }).click();
    await merge
      .getByRole('alert')
      .filter({ hasText: /^Not found: .*999999/ })
      .waitFor();
    expect(await merge.getByLabel('The other campaign’s number').inputValue()).toBe('999999');
    await merge.getByLabel('The other campaign’s number').fill(target);
    await merge.getByRole('button', { name: 'Merge it into this campaign' }).click();
    await merge
      .getByRole('alert')
      .filter({ hasText: /^Not accepted: .*cannot be merged into itself/ })
      .waitFor();

    await merge.getByLabel('The other campaign’s number').fill(merging);
    await merge.getByRole('button', { name: 'Merge it into this campaign' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Campaign ${merging} was merged into campaign ${target}, which now has 3 members.` })
      .waitFor();
    expect((await numbers(target)).sort()).toEqual([kept, splitting, joining].sort());
    expect(await stored(merging)).toMatchObject({
      status: 'merged',
      mergedInto: Number(target),
      memberCount: 0,
      members: [],
    });

    await page.getByRole('checkbox', { name: 'Choose 0987 200 403 to split off' }).check();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'campaign-supervisor');
    await page.getByRole('button', { name: 'Split off the chosen members' }).click();
    const done = page
      .getByRole('status')
      .filter({ hasText: /^1 member was moved to a new campaign, campaign \d+\./ });
    await done.waitFor();
    const created = /campaign (\d+)\./.exec((await done.textContent()) ?? '')?.[1] as string;
    expect(await done.getByRole('link', { name: `Open campaign ${created}` }).getAttribute('href')).toBe(
      `#/campaigns/${created}`,
    );
    expect(await numbers(created)).toEqual([splitting]);
    expect((await numbers(target)).sort()).toEqual([kept, joining].sort());
    expect((await stored(created)).status).toBe('open');

    // A version that moved on meanwhile: the page is drawn again, the sentence beside the form.
    const claimed = await api.post(`/api/v1/campaigns/${target}/claim`, supervisor, {
      version: (await stored(target)).version,
    });
    expect(claimed.status).toBe(200);
    await merge.getByLabel('The other campaign’s number').fill('999999');
    await merge.getByRole('button', { name: 'Merge it into this campaign' }).click();
    await merge
      .getByRole('alert')
      .filter({ hasText: /^Someone changed this campaign meanwhile/ })
      .waitFor();
    await page
      .getByRole('heading', { level: 1, name: new RegExp(`^Campaign ${target} .*In review`) })
      .waitFor();

    await page.goto(`${api.baseUrl}/console/#/campaigns/${created}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Campaign ${created}`) }).waitFor();
    expect(problems).toEqual([]);
  });
});
