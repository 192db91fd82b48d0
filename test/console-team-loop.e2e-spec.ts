import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createToken, startApi } from './support/api';
import { accessibilityViolations } from './support/axe';
import { launchChromium, pageProblems } from './support/browser';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { seedFlag } from './support/seed';

/**
 * The console's side of the team's work (issue 19), in a real Chromium: claim next by two analysts
 * at once, bulk decisions with a stale flag among them, the session shared by the tabs of a
 * browser and ended everywhere, the supervisor's team view, and the due-soon warning. axe-core at
 * WCAG 2.1 AA on every page drawn, and no CSP refusal.
 */

const HOUR = 3_600_000;
/** The API's default queue SLAs (SLA_HIGH, SLA_LOW). */
const SLA = { high: 2 * HOUR, low: 72 * HOUR } as const;

let serial = 0;
/** A fresh valid Vietnamese mobile for each flag. */
const nextNumber = () => `+84988${String(100000 + ++serial).slice(-6)}`;
/** How the console writes it: 0988 xxx xxx. */
const national = (e164: string) => `0${e164.slice(3, 6)} ${e164.slice(6, 9)} ${e164.slice(9)}`;

describe('the team loop in the review console', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let browser: Browser;
  const tokens: Record<'a' | 'b' | 'c' | 'sup', string> = { a: '', b: '', c: '', sup: '' };

  async function seedOpen(
    severity: 'low' | 'high',
    slaStartedAt: Date,
  ): Promise<{ id: number; number: string }> {
    const number = nextNumber();
    const id = await seedFlag(f.db, { number, severity, openedAt: slaStartedAt, slaStartedAt });
    return { id: Number(id), number };
  }

  beforeAll(async () => {
    f = await harness.fixture('console-team');
    [api, browser] = await Promise.all([startApi(harness, f), launchChromium()]);
    const made = await Promise.all([
      createToken(f.db.url, 'analyst-a', 'analyst'),
      createToken(f.db.url, 'analyst-b', 'analyst'),
      createToken(f.db.url, 'analyst-c', 'analyst'),
      createToken(f.db.url, 'sup', 'supervisor'),
    ]);
    [tokens.a, tokens.b, tokens.c, tokens.sup] = made.map((t) => t.secret);
  });
  afterAll(async () => {
    await browser?.close();
    await harness.stopApps();
    await harness.dropDatabases();
  });

  async function signIn(context: BrowserContext, token: string): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${api.baseUrl}/console/`);
    await page.getByLabel('API token').fill(token);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    return { page, problems };
  }

  const newContext = () => browser.newContext({ viewport: { width: 1280, height: 800 } });
  const focused = (page: Page) => page.evaluate<string>('(document.activeElement?.textContent ?? "").trim()');

  it('gives two analysts claiming at the same time, again and again, never the same flag', async () => {
    // Overdue for years: more urgent than anything else, in a known order.
    const seeded = await Promise.all(
      Array.from({ length: 6 }, (_, i) => seedOpen('low', new Date(Date.UTC(2001, 0, 1 + i)))),
    );
    const [a, b] = await Promise.all([
      newContext().then((c) => signIn(c, tokens.a)),
      newContext().then((c) => signIn(c, tokens.b)),
    ]);
    await a.page.getByRole('button', { name: 'Claim next' }).waitFor();
    expect(await accessibilityViolations(a.page)).toEqual([]);

    const claimed: { by: string; id: number }[] = [];
    const claimOnce = async (page: Page, by: string, previous: number | null) => {
      await page.keyboard.press('n');
      await page.waitForURL((url) => /#\/flags\/\d+/.test(url.hash) && !url.hash.endsWith(`/${previous}`));
      const id = Number(/#\/flags\/(\d+)/.exec(page.url())?.[1]);
      await page.getByText(`You claimed flag ${id}, the most urgent open flag.`).waitFor();
      await page.getByRole('heading', { level: 1, name: new RegExp(`^Flag ${id}: `) }).waitFor();
      claimed.push({ by, id });
      return id;
    };
    let lastA: number | null = null;
    let lastB: number | null = null;
    for (let round = 0; round < 3; round += 1)
      [lastA, lastB] = await Promise.all([
        claimOnce(a.page, 'analyst-a', lastA),
        claimOnce(b.page, 'analyst-b', lastB),
      ]);
    expect(await accessibilityViolations(b.page)).toEqual([]);

    const ids = claimed.map((c) => c.id);
    expect(new Set(ids).size).toBe(6);
    expect([...ids].sort((x, y) => x - y)).toEqual(seeded.map((s) => s.id).sort((x, y) => x - y));
    for (const { by, id } of claimed)
      expect((await api.get(`/api/v1/flags/${id}`, tokens.sup)).body).toMatchObject({
        status: 'in_review',
        assignee: by,
        version: 2,
      });

    // Nothing left: the queue says so, and the message has the focus.
    await a.page.keyboard.press('n');
    const none = a.page.getByText('Nothing left to claim: no open flag is waiting that you may take.');
    await none.waitFor();
    expect(await focused(a.page)).toBe('Nothing left to claim: no open flag is waiting that you may take.');
    expect(await a.page.title()).toBe('Review queue — abuse-monitor');
    expect(await accessibilityViolations(a.page)).toEqual([]);
    // The key is in the help list.
    await a.page.keyboard.press('?');
    expect(await a.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).textContent()).toContain(
      'Claim the most urgent open flag and open it',
    );
    await a.page.keyboard.press('Escape');
    expect([...a.problems, ...b.problems]).toEqual([]);
  });

  it('decides a selection in one go, refuses the flag someone changed meanwhile, and says which', async () => {
    // One after the other: their ids ascend in this order.
    const flags: { id: number; number: string }[] = [];
    for (let i = 0; i < 3; i += 1) flags.push(await seedOpen('low', new Date(Date.now() - HOUR)));
    const { page, problems } = await signIn(await newContext(), tokens.a);
    for (const flag of flags) await page.locator(`tr[data-flag-id="${flag.id}"]`).waitFor();
    const rows = await page.locator('tbody tr').count();

    // Select all on the page, and none again.
    const all = page.getByRole('checkbox', { name: 'Select every flag on this page' });
    await all.check();
    await page.getByText(`${rows} flags selected.`).waitFor();
    await all.uncheck();
    await page.getByText('0 flags selected.').waitFor();

    for (const flag of flags)
      await page.getByRole('checkbox', { name: `Select flag ${flag.id} (${national(flag.number)})` }).check();
    await page.getByText('3 flags selected.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // Meanwhile a supervisor hands the second one to analyst-a: its version moves on.
    const stale = flags[1];
    const handed = await api.post(
      `/api/v1/flags/${stale.id}/assign`,
      tokens.sup,
      { assignee: 'analyst-a' },
      { 'if-match': '"1"' },
    );
    expect(handed.status).toBe(200);

    const form = page.getByRole('form', { name: 'Decide on the selected flags' });
    await form.getByLabel('Decision for the selected flags').selectOption('dismiss');
    await form.getByLabel('Reason').selectOption({ label: 'Not abuse' });
    await form.getByLabel(/Note for the audit trail/).fill('Quảng cáo hợp pháp của ngân hàng');
    await form.getByRole('button', { name: 'Apply to the selected flags' }).click();

    const summary = page.locator('.bulk-summary');
    await summary.getByText('What was done').waitFor();
    const done = [flags[0].id, flags[2].id];
    expect(await summary.textContent()).toContain(
      `Dismiss (no abuse) recorded on 2 flags: ${done.join(', ')}.`,
    );
    expect(await summary.textContent()).toContain('Refused on 1 flag:');
    expect(await summary.getByRole('listitem').allTextContents()).toEqual([
      `Flag ${stale.id} (${national(stale.number)}): someone changed it since the queue was loaded (now version 2); open it and decide again.`,
    ]);
    expect(await page.evaluate<boolean>('document.activeElement?.classList.contains("bulk-summary")')).toBe(
      true,
    );
    expect(await accessibilityViolations(page)).toEqual([]);

    for (const id of done) {
      expect((await api.get(`/api/v1/flags/${id}`, tokens.sup)).body).toMatchObject({ status: 'dismissed' });
      expect(await page.getByRole('checkbox', { name: new RegExp(`^Select flag ${id} `) }).isDisabled()).toBe(
        true,
      );
    }
    expect((await api.get(`/api/v1/flags/${stale.id}`, tokens.sup)).body).toMatchObject({
      status: 'in_review',
      version: 2,
    });
    // Each decision audited on its own, with its reason code and note, and none for the refused one.
    const audit = await f.db.query<{ target_id: string; reason: string; note: string }>(
      `SELECT target_id, after->>'reasonCode' AS reason, after->>'note' AS note FROM audit_log
        WHERE action = 'flag.dismiss' AND actor = 'analyst-a' AND target_id = ANY($1) ORDER BY target_id::bigint`,
      [flags.map((flag) => String(flag.id))],
    );
    expect(audit.map((row) => row.target_id)).toEqual(done.map(String));
    expect(audit.map((row) => row.reason)).toEqual(['not_abuse', 'not_abuse']);
    const history = await f.db.query<{ reason_code: string; note: string }>(
      `SELECT reason_code, note FROM flag_history WHERE change = 'dismissed' AND flag_id = ANY($1)`,
      [done.map(String)],
    );
    expect(history).toEqual([
      { reason_code: 'not_abuse', note: 'Quảng cáo hợp pháp của ngân hàng' },
      { reason_code: 'not_abuse', note: 'Quảng cáo hợp pháp của ngân hàng' },
    ]);

    // "Decided by me" is a view of its own, kept in the address.
    await page.getByRole('link', { name: 'Decided by me' }).click();
    await page.waitForURL(/#\/queue\?status=&decided=me&sort=newest$/);
    for (const id of done) await page.locator(`tr[data-flag-id="${id}"]`).waitFor();
    expect(await page.locator(`tr[data-flag-id="${stale.id}"]`).count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: 'Decided by me' }).isChecked()).toBe(true);
    await page.reload();
    await page.locator(`tr[data-flag-id="${done[0]}"]`).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('shares one session between the tabs of a browser, and signing out everywhere ends it in all of them', async () => {
    const context = await newContext();
    const first = await signIn(context, tokens.c);
    // A second tab of the same browser opens signed in, nothing typed.
    const second = await context.newPage();
    const secondProblems = pageProblems(second);
    await second.goto(`${api.baseUrl}/console/`);
    await second.getByRole('heading', { name: 'Review queue' }).waitFor();
    expect(await second.locator('header').textContent()).toContain('analyst-c (analyst)');
    expect(await second.getByLabel('API token').count()).toBe(0);
    // The token is kept nowhere a script could read it; the cookie is HttpOnly and Strict.
    for (const tab of [first.page, second]) {
      expect(await tab.evaluate<number>('sessionStorage.length + localStorage.length')).toBeLessThanOrEqual(
        1,
      );
      expect(
        await tab.evaluate<string>('JSON.stringify({ ...sessionStorage, ...localStorage })'),
      ).not.toContain(tokens.c);
      expect(await tab.evaluate<string>('document.cookie')).toBe('');
    }
    const cookies = await context.cookies();
    expect(cookies).toEqual([
      expect.objectContaining({
        name: '__Host-am_session',
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
        path: '/',
      }),
    ]);
    // Another browser signed in with the same token.
    const elsewhere = await signIn(await newContext(), tokens.c);
    expect(await accessibilityViolations(second)).toEqual([]);

    await second.getByRole('button', { name: 'Sign out everywhere' }).click();
    await second.getByText('Signed out everywhere: 2 sessions ended.').waitFor();
    await second.getByLabel('API token').waitFor();
    expect(await second.title()).toBe('Sign in — abuse-monitor');
    expect(await accessibilityViolations(second)).toEqual([]);

    // The first tab and the other browser still show the queue; their next action finds the session ended.
    for (const tab of [first.page, elsewhere.page]) {
      await tab.locator('tbody a').first().click();
      await tab
        .getByRole('alert')
        .filter({ hasText: 'Your session has ended (signed out in another tab or everywhere' })
        .waitFor();
      await tab.getByLabel('API token').waitFor();
      await tab.reload();
      await tab.getByLabel('API token').waitFor();
    }
    const audit = await f.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'token.sign_out_everywhere' AND actor = 'analyst-c'`,
    );
    expect(audit[0].n).toBe(1);
    expect([...first.problems, ...secondProblems, ...elsewhere.problems]).toEqual([]);
  });

  it('shows a supervisor the team view from the header, and an analyst no link to it', async () => {
    const analyst = await signIn(await newContext(), tokens.b);
    await analyst.page.getByRole('heading', { name: 'Review queue' }).waitFor();
    expect(await analyst.page.getByRole('link', { name: 'Team', exact: true }).count()).toBe(0);

    const { page, problems } = await signIn(await newContext(), tokens.sup);
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    const heading = page.getByRole('heading', { level: 1, name: 'Team' });
    await heading.waitFor();
    await page.getByRole('table', { name: 'Who holds what' }).waitFor();
    expect(await page.title()).toBe('Team — abuse-monitor');
    expect(await page.evaluate<string>('document.activeElement?.tagName')).toBe('H1');
    const team = (await api.get('/api/v1/team', tokens.sup)).body;
    const shown = await page
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute('data-holder'), row.querySelectorAll('td')[0]?.textContent]),
      );
    expect(shown).toEqual(
      team.holders.map((h: { name: string; inReview: number }) => [h.name, String(h.inReview)]),
    );
    // analyst-a and analyst-b each hold the three flags they claimed; analyst-a one handed over too.
    expect(shown).toEqual(
      expect.arrayContaining([
        ['analyst-a', '4'],
        ['analyst-b', '3'],
      ]),
    );
    const row = page.locator('tr[data-holder="analyst-b"]');
    expect(await row.getByRole('link').count()).toBe(3);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Đổi sang tiếng Việt' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nhóm' }).waitFor();
    expect(await page.title()).toBe('Nhóm — abuse-monitor');
    expect(await page.getByRole('link', { name: 'Nhóm', exact: true }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    // At 400 % zoom of 1280 the page reflows; only the table, a grid of figures, may scroll inside itself.
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
    // The link takes the supervisor to a flag held, with the filter kept.
    await row.getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /^Flag \d+: 0988 / }).waitFor();
    expect([...analyst.problems, ...problems]).toEqual([]);
  });

  it('warns above the queue of the flags about to go overdue, with a link to them', async () => {
    const now = Date.now();
    const soon = [
      await seedOpen('high', new Date(now - SLA.high + 30 * 60_000)),
      await seedOpen('high', new Date(now - SLA.high + 40 * 60_000)),
    ];
    const later = await seedOpen('low', new Date(now - SLA.low + 5 * HOUR));
    const due = (await api.get('/api/v1/flags/due-soon', tokens.a)).body;
    expect(due.within1h).toBeGreaterThanOrEqual(2);
    const { page, problems } = await signIn(await newContext(), tokens.a);
    const warning = page.getByRole('region', { name: 'Due soon' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain(`${due.within1h} flags go overdue within the hour.`);
    expect(await accessibilityViolations(page)).toEqual([]);

    await warning.getByRole('link', { name: 'Show them, most urgent first' }).click();
    await page.waitForURL(/#\/queue\?status=open%2Cin_review&due=1h$/);
    await page.getByText('Only the flags whose SLA runs out within the hour, or has run out.').waitFor();
    for (const flag of soon) await page.locator(`tr[data-flag-id="${flag.id}"]`).waitFor();
    await page.getByText(/flags? shown\./).waitFor();
    expect(await page.locator(`tr[data-flag-id="${later.id}"]`).count()).toBe(0);
    // Every row shown is due within the hour, by the API's own SLA end.
    const listed = (await api.get('/api/v1/flags?status=open,in_review&limit=100', tokens.a)).body.items as {
      id: number;
      slaDueAt: string | null;
    }[];
    const within = listed.filter((flag) => flag.slaDueAt && Date.parse(flag.slaDueAt) <= now + HOUR + 60_000);
    const rows = await page
      .locator('tbody tr')
      .evaluateAll((r) => r.map((row) => Number(row.getAttribute('data-flag-id'))));
    expect(rows.sort()).toEqual(within.map((flag) => flag.id).sort());
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Show the whole queue' }).click();
    await page.locator(`tr[data-flag-id="${later.id}"]`).waitFor();
    expect(problems).toEqual([]);
  });

  it('lists the queue most urgent first: by time left on the SLA, not by severity alone', async () => {
    const now = Date.now();
    // A low flag with 10 minutes left comes before a high one with 20, which comes before one with 2 hours.
    const lowSoon = await seedOpen('low', new Date(now - SLA.low + 10 * 60_000));
    const highSoon = await seedOpen('high', new Date(now - SLA.high + 20 * 60_000));
    const highLater = await seedOpen('high', new Date(now - SLA.high + 2 * HOUR));
    const { page, problems } = await signIn(await newContext(), tokens.c);
    for (const flag of [lowSoon, highSoon, highLater])
      await page.locator(`tr[data-flag-id="${flag.id}"]`).waitFor();
    const rows = await page
      .locator('tbody tr')
      .evaluateAll((r) => r.map((row) => Number(row.getAttribute('data-flag-id'))));
    const position = (flag: { id: number }) => rows.indexOf(flag.id);
    expect(position(lowSoon)).toBeLessThan(position(highSoon));
    expect(position(highSoon)).toBeLessThan(position(highLater));
    // The rows are the API's urgency order, the console's default.
    const first = (
      await api.get(`/api/v1/flags?status=open,in_review&sort=urgency&limit=${rows.length}`, tokens.c)
    ).body.items as { id: number }[];
    expect(rows).toEqual(first.map((flag) => flag.id));
    expect(await page.getByLabel('Order').inputValue()).toBe('urgency');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
