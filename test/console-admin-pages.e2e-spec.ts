import { Browser, Page } from 'playwright-core';
import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { ApiClient, createToken, Json, startApi } from './support/api';
import { eventually } from './support/app-process';
import { accessibilityViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { LAPTOP, screenshot, signInToConsole } from './support/console-page';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce } from './support/kafka';

/**
 * The team's pages of the console in a real Chromium (issue 21, decision 0066): rules with a
 * what-if before saving, allowlist, protected numbers, reporters, tokens and the audit log, each
 * role seeing only what it may do, every page checked with axe-core and for CSP refusals, and
 * pictured at 1280x800 in reports/console/.
 */

/** The rule test's reports: 11 days after the shared T0, a day no other test of this file uses. */
const RULE_DAY = '2026-12-01';
const RULE_MINUTES = 11 * 24 * 60;
const QUIET_A = '+84987300301';
const QUIET_B = '+84987300302';

describe("the console's team pages", () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let browser: Browser;
  let analyst: string;
  let supervisor: string;
  let admin: string;

  beforeAll(async () => {
    f = await harness.fixture('console-admin');
    harness.start('aggregator', f.env);
    [api, browser] = await Promise.all([startApi(harness, f), launchChromium()]);
    [analyst, supervisor, admin] = (
      await Promise.all([
        createToken(f.db.url, 'ana', 'analyst'),
        createToken(f.db.url, 'sup', 'supervisor'),
        createToken(f.db.url, 'root', 'admin'),
      ])
    ).map((t) => t.secret);
  });
  afterAll(async () => {
    await browser?.close();
    await harness.stopApps();
    await harness.dropDatabases();
  });

  /** Signed in, in UTC, so that the days typed in the forms are the days of the seeded reports. */
  const signedIn = (token: string) =>
    signInToConsole(browser, api.baseUrl, token, { ...LAPTOP, timezoneId: 'UTC' });

  async function open(page: Page, hash: string, heading: string | RegExp): Promise<void> {
    await page.goto(`${api.baseUrl}/console/${hash}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.getByText('Loading…').waitFor({ state: 'detached' });
  }

  /** At 200% zoom a 1280 px laptop is 640 CSS px wide: the page must reflow, not scroll sideways. */
  async function reflowsAt200Percent(page: Page): Promise<boolean> {
    await page.setViewportSize({ width: 640, height: 400 });
    const fits = await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
    await page.setViewportSize(LAPTOP.viewport!);
    return fits;
  }

  const navLinks = (page: Page) =>
    page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents();

  async function openFlagsOf(numbers: string[]): Promise<Json[]> {
    const listed = await api.get('/api/v1/flags?status=open&limit=100', analyst);
    return listed.body.items.filter((flag: Json) => numbers.includes(flag.reportedNumber));
  }

  it('shows an analyst the rules and lists, and no control to change them', async () => {
    const { page, problems } = await signedIn(analyst);
    expect(await navLinks(page)).toEqual(['Queue', 'Rules', 'Allowlist', 'Protected numbers']);
    await open(page, '#/rules', 'Rules');
    const rules = page.getByRole('table', { name: 'Flagging rules' });
    expect(await rules.getByRole('row').count()).toBe(6);
    expect(await rules.getByRole('row').filter({ hasText: 'distinct-3-24h' }).textContent()).toContain(
      '3 distinct reporters in 24 h',
    );
    await rules.getByRole('link', { name: '3 distinct reporters in 24 hours: watch' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Rule: 3 distinct reporters in 24 hours: watch' })
      .waitFor();
    await page.getByRole('table', { name: 'Versions' }).waitFor();
    expect(await page.getByRole('form').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Preview|Save/ }).count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'rule-analyst');

    await open(page, '#/allowlist', 'Allowlist');
    expect(await page.getByRole('button', { name: /Remove|Add/ }).count()).toBe(0);
    // A shared link to a page the role may not use says so, and the API is not asked.
    await open(page, '#/tokens', 'API tokens');
    await page.getByText('Your role may not use this page.').waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    // The same pages in Vietnamese, redrawn in place.
    await page.getByRole('button', { name: 'Đổi sang tiếng Việt' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mã truy cập API' }).waitFor();
    expect(
      await page.getByRole('navigation', { name: 'Các trang' }).getByRole('link').allTextContents(),
    ).toEqual(['Hàng đợi', 'Quy tắc', 'Danh sách cho phép', 'Số được bảo vệ']);
    await page.getByText('Vai trò của bạn không được dùng trang này.').waitFor();
    expect(problems).toEqual([]);
  });

  it('lets a supervisor preview a rule change, save it, and the flags change as previewed', async () => {
    // Two numbers with two distinct reporters each: below the seeded threshold of 3, so no flag.
    await produce(
      f.kafka,
      f.topics.accepted,
      [QUIET_A, QUIET_B].flatMap((number, n) =>
        [0, 1].map((r) =>
          asMessage(acceptedReport(number, reporterNumber(500 + n * 10 + r), RULE_MINUTES + r)),
        ),
      ),
    );
    await eventually(
      () =>
        f.db.query(`SELECT count(*)::int AS n FROM reports WHERE reported_number IN ($1, $2)`, [
          QUIET_A,
          QUIET_B,
        ]),
      (rows) => (rows[0] as { n: number }).n === 4,
    );
    expect(await openFlagsOf([QUIET_A, QUIET_B])).toEqual([]);

    const { page, problems } = await signedIn(supervisor);
    expect(await navLinks(page)).toEqual(['Queue', 'Rules', 'Allowlist', 'Protected numbers', 'Reporters']);
    await open(page, '#/rules/distinct-3-24h', /^Rule: /);
    const form = page.getByRole('form', { name: 'Change this rule' });
    const save = page.getByRole('button', { name: 'Save the change' });
    expect(await save.isDisabled()).toBe(true);
    await form.getByLabel('Threshold').fill('2');
    await form.getByLabel('From (day)').fill(RULE_DAY);
    await form.getByLabel('To (day, included)').fill(RULE_DAY);
    await form.getByRole('button', { name: 'Preview the change' }).click();
    const summary = page.locator('.preview-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toBe(
      'It would open 2, close 0, raise 0, lower 0 and change the recommended action of 0 flags.',
    );
    const opened = page.locator('.preview-examples[data-kind="opened"] li');
    expect(await opened.allTextContents()).toEqual([
      '0987 300 301: no flag → Low, Watch (rule distinct-3-24h v2)',
      '0987 300 302: no flag → Low, Watch (rule distinct-3-24h v2)',
    ]);
    // Previewing changed nothing.
    expect((await api.get('/api/v1/rules/distinct-3-24h', supervisor)).body.threshold).toBe(3);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await reflowsAt200Percent(page)).toBe(true);
    await screenshot(page, 'rule-preview');

    // A change that was not previewed cannot be saved.
    await form.getByLabel('Threshold').fill('4');
    expect(await save.isDisabled()).toBe(true);
    await page.getByText('The form changed since the preview').waitFor();
    await form.getByLabel('Threshold').fill('2');
    expect(await save.isDisabled()).toBe(false);
    await save.click();
    const saved = page.getByRole('status').filter({ hasText: 'Saved:' });
    await saved.waitFor();
    expect(await saved.textContent()).toBe(
      'Saved: rule distinct-3-24h is now at version 2. It applies from the next batch of reports.',
    );
    // The page is drawn again under the notice: the versions come with the rule's second reading.
    await page.getByRole('table', { name: 'Versions' }).waitFor();
    const versions = page.getByRole('table', { name: 'Versions' }).getByRole('row');
    expect(await versions.count()).toBe(3);
    expect(await versions.nth(1).textContent()).toContain('2 distinct reporters in 24 h');
    expect(await versions.nth(1).textContent()).toContain('by sup');
    await screenshot(page, 'rule');

    // The saved rule applies from the next batch: a repeat report from a known reporter, which
    // adds no distinct reporter, makes the aggregator evaluate each number again.
    await produce(
      f.kafka,
      f.topics.accepted,
      [QUIET_A, QUIET_B].map((number, n) =>
        asMessage(acceptedReport(number, reporterNumber(500 + n * 10), RULE_MINUTES + 5)),
      ),
    );
    const flags = await eventually(
      () => openFlagsOf([QUIET_A, QUIET_B]),
      (found) => found.length === 2,
    );
    expect(
      flags
        .map((flag) => [flag.reportedNumber, flag.severity, flag.ruleId, flag.ruleVersion])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      [QUIET_A, 'low', 'distinct-3-24h', 2],
      [QUIET_B, 'low', 'distinct-3-24h', 2],
    ]);
    expect(problems).toEqual([]);
  });

  it('adds an allowlist entry with a reason and an end, and removes it, both audited', async () => {
    const { page, problems } = await signedIn(supervisor);
    await open(page, '#/allowlist', 'Allowlist');
    await page.getByText('Nothing is allowlisted.').waitFor();
    const add = page.getByRole('form', { name: 'Allowlist a number or a prefix' });
    await add.getByLabel('Number or prefix').fill('0912 345 678');
    await add.getByLabel('Reason').fill('Hotline of a delivery company');
    await add.getByLabel('Owner').fill('Giao Hang Nhanh');
    await add.getByLabel('Applies until (day, included)').fill('2027-06-30');
    // The Kind choice defaults to a single number.
    await add.getByRole('button', { name: 'Add to the allowlist' }).click();
    await page.getByRole('status').filter({ hasText: '+84912345678 is allowlisted' }).waitFor();
    await page.getByRole('table', { name: 'Allowlisted numbers and prefixes' }).waitFor();
    const rows = page.getByRole('table', { name: 'Allowlisted numbers and prefixes' }).getByRole('row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).textContent()).toContain('Hotline of a delivery company');
    expect(await rows.nth(1).textContent()).toContain('1 Jul 2027');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'allowlist');

    // The same number again: the API refuses, and the page says why in words.
    await add.getByLabel('Number or prefix').fill('+84912345678');
    await add.getByLabel('Reason').fill('again');
    await add.getByLabel('Owner').fill('again');
    await add.getByRole('button', { name: 'Add to the allowlist' }).click();
    const refused = page.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/^Could not add the entry\. .*already allowlisted/);

    await page.getByRole('button', { name: 'Remove 0912 345 678 from the allowlist' }).click();
    await page.getByRole('status').filter({ hasText: 'is no longer allowlisted' }).waitFor();
    await page.getByText('Nothing is allowlisted.').waitFor();
    const audit = await api.get('/api/v1/audit?targetType=allowlist', admin);
    expect(audit.body.items.map((e: Json) => [e.action, e.actor])).toEqual([
      ['allowlist.delete', 'sup'],
      ['allowlist.create', 'sup'],
    ]);
    expect(audit.body.items[1].after).toMatchObject({ reason: 'Hotline of a delivery company' });
    expect(problems).toEqual([]);
  });

  it('protects a number', async () => {
    const { page, problems } = await signedIn(supervisor);
    await open(page, '#/protected-numbers', 'Protected numbers');
    const add = page.getByRole('form', { name: 'Protect a number' });
    await add.getByLabel('Number', { exact: true }).fill('028 3824 7247');
    await add.getByLabel('Whose number (as people know it)').fill('Vietcombank hotline');
    await add.getByLabel('Kind').selectOption('bank');
    await add.getByLabel('Reason').fill('Scammers spoof it');
    await add.getByRole('button', { name: 'Protect the number' }).click();
    await page.getByRole('status').filter({ hasText: '(Vietcombank hotline) is protected' }).waitFor();
    await page.getByRole('table', { name: 'Protected numbers' }).waitFor();
    const rows = page.getByRole('table', { name: 'Protected numbers' }).getByRole('row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).textContent()).toContain('Vietcombank hotline');
    const stored = await api.get('/api/v1/protected-originators', supervisor);
    expect(stored.body.items.map((p: Json) => [p.number, p.kind, p.createdBy])).toEqual([
      ['+842838247247', 'bank', 'sup'],
    ]);
    expect(
      await page
        .getByRole('button', {
          name: 'Remove 028 3824 7247 (Vietcombank hotline) from the protected numbers',
        })
        .count(),
    ).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'protected-numbers');
    expect(problems).toEqual([]);
  });

  it('clears a suspicious reporter, who then shows among the cleared', async () => {
    const suspicious = '+84911000777';
    await f.db.query(
      `INSERT INTO reporters (reporter, standing, suspicious_since, first_seen_at, last_seen_at, total_reports)
       VALUES ($1, 'suspicious', now() - interval '1 hour', now() - interval '2 days', now() - interval '1 hour', 240)`,
      [suspicious],
    );
    const { page, problems } = await signedIn(supervisor);
    await open(page, '#/reporters', 'Reporters');
    const rows = page.getByRole('table', { name: 'Reporters' }).getByRole('row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).textContent()).toContain('0911 000 777');
    expect(await rows.nth(1).textContent()).toContain('240');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'reporters');
    const clear = page.getByRole('form', { name: 'Clear 0911 000 777' });
    await clear.getByLabel('Why (for the audit log)').fill('Known volunteer, verified by phone');
    await clear.getByRole('button', { name: 'Clear reporter 0911 000 777' }).click();
    await page.getByRole('status').filter({ hasText: '0911 000 777 is cleared' }).waitFor();
    await page.getByText('No reporter has this standing.').waitFor();
    await page.getByRole('link', { name: 'Cleared', exact: true }).click();
    await page.getByRole('table', { name: 'Reporters' }).waitFor();
    expect(page.url()).toContain('#/reporters?standing=cleared');
    expect(
      await page.getByRole('table', { name: 'Reporters' }).getByRole('row').nth(1).textContent(),
    ).toContain('by sup');
    expect(problems).toEqual([]);
  });

  it('lets an admin issue a token, shown once, and revoke it, after which it is refused', async () => {
    const { page, problems } = await signedIn(admin);
    expect(await navLinks(page)).toEqual([
      'Queue',
      'Rules',
      'Allowlist',
      'Protected numbers',
      'Reporters',
      'Tokens',
      'Audit log',
    ]);
    await open(page, '#/tokens', 'API tokens');
    const create = page.getByRole('form', { name: 'Issue a token' });
    await create.getByLabel('Name').fill('night-shift');
    await create.getByLabel('Role').selectOption('analyst');
    await create.getByLabel('Valid for').selectOption('7d');
    await create.getByLabel('Your own API token').fill(admin);
    await create.getByRole('button', { name: 'Issue the token' }).click();
    const secretBox = page.getByLabel('Secret of night-shift');
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // The admin's own token left the form with the request.
    expect(await create.getByLabel('Your own API token').inputValue()).toBe('');
    expect((await api.get('/api/v1/me', secret)).body).toMatchObject({
      name: 'night-shift',
      role: 'analyst',
    });
    const listed = (await api.get('/api/v1/tokens', admin)).body.items.find(
      (t: Json) => t.name === 'night-shift',
    );
    expect(
      Math.abs(Date.parse(listed.expiresAt) - Date.parse(listed.createdAt) - 7 * 86_400_000),
    ).toBeLessThan(60_000);
    const row = page
      .getByRole('table', { name: 'Tokens' })
      .getByRole('row')
      .filter({ hasText: 'night-shift' });
    await row.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await reflowsAt200Percent(page)).toBe(true);
    await screenshot(page, 'tokens');

    // A name already used: refused, in words.
    await create.getByLabel('Name').fill('night-shift');
    await create.getByLabel('Your own API token').fill(admin);
    await create.getByRole('button', { name: 'Issue the token' }).click();
    const refused = page.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/^Could not issue the token\. /);

    await page.getByRole('button', { name: 'Revoke token night-shift' }).click();
    await page.getByRole('status').filter({ hasText: 'Token night-shift is revoked' }).waitFor();
    expect(await row.textContent()).toContain('revoked');
    expect((await api.get('/api/v1/me', secret)).status).toBe(401);
    expect(problems).toEqual([]);
  });

  it('filters the audit log by action, actor, object and day, in an address that can be shared', async () => {
    const { page, problems } = await signedIn(admin);
    await open(page, '#/audit', 'Audit log');
    const filter = page.getByRole('form', { name: 'Filter the audit log' });
    await filter.getByLabel('Action').fill('rule.update');
    await filter.getByLabel('Who').fill('sup');
    await filter.getByLabel('Object type').selectOption('rule');
    await filter.getByLabel('Object id').fill('distinct-3-24h');
    const today = new Date().toISOString().slice(0, 10);
    await filter.getByLabel('From (day)').fill(today);
    await filter.getByLabel('To (day, included)').fill(today);
    await filter.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/#\/audit\?/);
    const table = page.getByRole('table', { name: 'Audit entries, newest first' });
    await table.waitFor();
    const rows = table.getByRole('row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).textContent()).toContain('rule.update');
    expect(await rows.nth(1).textContent()).toContain('sup (supervisor)');
    expect(await rows.nth(1).textContent()).toContain('PATCH /api/v1/rules/distinct-3-24h');

    // The address holds the filter: opened afresh, it shows the same entries and the same form.
    const shared = page.url();
    expect(new URL(shared).hash).toBe(
      `#/audit?actor=sup&action=rule.update&type=rule&object=distinct-3-24h&since=${today}&until=${today}`,
    );
    const other = await signedIn(admin);
    await other.page.goto(shared);
    await other.page.getByRole('table', { name: 'Audit entries, newest first' }).waitFor();
    expect(
      await other.page.getByRole('table', { name: 'Audit entries, newest first' }).getByRole('row').count(),
    ).toBe(2);
    expect(await other.page.getByLabel('Action').inputValue()).toBe('rule.update');

    // A day with nothing in it.
    await filter.getByLabel('From (day)').fill('2020-01-01');
    await filter.getByLabel('To (day, included)').fill('2020-01-01');
    await filter.getByRole('button', { name: 'Show' }).click();
    await page.getByText('No entry matches.').waitFor();
    await filter.getByRole('link', { name: 'Clear the filter' }).click();
    await table.waitFor();
    // Every change the other tests made through the pages is in the log, by its actor.
    expect(await rows.count()).toBeGreaterThan(5);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await reflowsAt200Percent(page)).toBe(true);
    await screenshot(page, 'audit');
    expect([...problems, ...other.problems]).toEqual([]);
  });
});
