import { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { ApiClient, createToken, startApi } from './support/api';
import { eventually } from './support/app-process';
import { accessibilityViolations } from './support/axe';
import { launchChromium, pageProblems } from './support/browser';
import { Tally } from './support/console-tally';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce } from './support/kafka';

/**
 * The analyst's daily loop in the review console (issue 19), in a real Chromium: the keyboard from
 * sign-in to recorded decisions, the filters kept in the address, the evidence on one screen, the
 * number search, Vietnamese, reflow at 320 CSS px, and axe-core at WCAG 2.1 AA on every page.
 */

const LOOP = Array.from({ length: 10 }, (_, i) => `+8498700040${i}`);
const NOTE = 'Cuộc gọi rác lặp lại';

interface Raised {
  id: number;
  number: string;
}

async function raise(
  f: IngestFixture,
  api: ApiClient,
  token: string,
  number: string,
  texts: (string | null)[],
  firstReporter: number,
): Promise<Raised> {
  await produce(
    f.kafka,
    f.topics.accepted,
    texts.map((content, i) =>
      asMessage(acceptedReport(number, reporterNumber(firstReporter + i), i, { content })),
    ),
  );
  const listed = await eventually(
    () => api.get(`/api/v1/flags?status=open,in_review&limit=100`, token),
    (r) =>
      r.status === 200 &&
      r.body.items.some((flag: { reportedNumber: string }) => flag.reportedNumber === number),
  );
  const flag = listed.body.items.find((item: { reportedNumber: string }) => item.reportedNumber === number);
  return { id: flag.id, number };
}

describe('the analyst’s loop in the review console', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let browser: Browser;
  let analyst: string;
  let supervisor: string;

  beforeAll(async () => {
    f = await harness.fixture('console-loop');
    harness.start('aggregator', f.env);
    [api, browser] = await Promise.all([startApi(harness, f), launchChromium()]);
    [analyst, supervisor] = (
      await Promise.all([
        createToken(f.db.url, 'analyst-a', 'analyst'),
        createToken(f.db.url, 'sup', 'supervisor'),
      ])
    ).map((t) => t.secret);
    for (const [k, number] of LOOP.entries())
      await raise(f, api, analyst, number, ['Goi lua dao', 'Gọi lừa đảo', 'goi  LUA dao 2'], 100 + 3 * k);
  });
  afterAll(async () => {
    await browser?.close();
    await harness.stopApps();
    await harness.dropDatabases();
  });

  async function opened(options: BrowserContextOptions = {}): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${api.baseUrl}/console/`);
    return { page, problems };
  }

  async function signedIn(token: string, options: BrowserContextOptions = {}) {
    const { page, problems } = await opened(options);
    await page.getByLabel(/API token|Mã truy cập API/).fill(token);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /^(Sign out|Đăng xuất)$/ }).waitFor();
    return { page, problems };
  }

  const focusedTag = (page: Page) => page.evaluate<string>('document.activeElement?.tagName ?? ""');

  it('decides ten flags in a row from sign-in with the keyboard alone', async () => {
    const { page, problems } = await opened();
    const tally = new Tally(page);
    // The page asks the API whether a session is open before it draws the sign-in: wait for it.
    await page.getByLabel('API token').waitFor();
    expect(await page.title()).toBe('Sign in — abuse-monitor');
    expect(await accessibilityViolations(page)).toEqual([]);
    // The token field has the focus: paste, Enter.
    expect(await page.evaluate<string>('document.activeElement.name')).toBe('token');
    tally.keystrokes += 1;
    await page.keyboard.insertText(analyst);
    await tally.press('Enter');
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page.locator('tbody tr').nth(9).waitFor();
    expect(await focusedTag(page)).toBe('H1');
    expect(await page.title()).toBe('Review queue — abuse-monitor');
    expect(await accessibilityViolations(page)).toEqual([]);

    // "?" lists the shortcuts in a modal dialog; Escape closes it and the focus comes back.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Back to the queue, filters kept');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    // No shortcut fires while typing: "/" goes to the search box, and j and k are letters there.
    await page.keyboard.press('/');
    await page.keyboard.type('jk');
    expect(await page.getByRole('searchbox', { name: 'Number' }).inputValue()).toBe('jk');
    expect(page.url()).toMatch(/#?\/?(queue.*)?$/);
    // A key pressed in the same moment as the closing keeps its focus: the dialog's 'close' event
    // comes a task later, and once gave the focus back to the heading after "/" had moved it (a
    // CI run, 2026-12-06). Closed and "/" pressed in one task here, then a task later, where is it?
    await page.locator('h1').focus();
    await page.keyboard.press('?');
    await help.waitFor();
    const focusedAfter = await page.evaluate<string>(`(async () => {
      document.querySelector('dialog.help').requestClose();
      document.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true, cancelable: true }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      return document.activeElement.id;
    })()`);
    expect(focusedAfter).toBe('number-search');
    await page.getByRole('searchbox', { name: 'Number' }).fill('');
    await page.keyboard.press('Shift+Tab');

    // j selects the first flag, Enter opens it; then d, a decision, Tab, a reason, Tab, the note,
    // Ctrl+Enter, ten times.
    await tally.press('j');
    await tally.press('Enter');
    const decided: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const heading = page.getByRole('heading', { level: 1, name: /^Flag \d+: 0987 000 40\d/ });
      await heading.waitFor();
      expect(await focusedTag(page)).toBe('H1');
      const id = Number(/Flag (\d+)/.exec((await heading.textContent()) ?? '')?.[1]);
      expect(await page.title()).toMatch(new RegExp(`^Flag ${id}: 0987 000 40\\d — Queue — abuse-monitor$`));
      if (i === 0) expect(await accessibilityViolations(page)).toEqual([]);
      await tally.press('d');
      await tally.press('ArrowDown');
      await tally.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.name')).toBe('reasonCode');
      await tally.press('ArrowDown');
      await tally.press('Tab');
      await tally.type(NOTE);
      await tally.press('Control+Enter');
      await page.getByText(`Recorded on flag ${id}: Warn the subscriber, reason: Confirmed scam.`).waitFor();
      decided.push(id);
    }
    // After the last one the queue is empty of open flags, and says so.
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page.getByText('No flags match.').waitFor();

    expect(tally.clicks).toBe(0);
    expect(new Set(decided).size).toBe(10);
    for (const id of decided) {
      const flag = await api.get(`/api/v1/flags/${id}`, analyst);
      expect(flag.body).toMatchObject({ status: 'actioned', takenAction: 'warn' });
      expect(flag.body.history.at(-1).note).toBe(NOTE);
      const history = await api.get(`/api/v1/flags/${id}/history`, analyst);
      expect(history.body.items.at(-1)).toMatchObject({ reasonCode: 'confirmed_scam', note: NOTE });
    }
    console.log(
      `task time, after: ${tally.clicks} clicks, ${tally.keystrokes} keystrokes (sign-in and ten flags)`,
    );
    expect(tally.keystrokes).toBe(2 + 2 + 10 * (6 + [...NOTE].length));
    expect(problems).toEqual([]);
  });

  it('decides ten flags in a row with the mouse in six clicks each, the note typed', async () => {
    const numbers = Array.from({ length: 10 }, (_, i) => `+8498700050${i}`);
    for (const [k, number] of numbers.entries())
      await raise(f, api, analyst, number, ['Goi rac', 'goi rac', 'Gọi rác'], 500 + 3 * k);
    const { page, problems } = await opened();
    const tally = new Tally(page);
    await tally.click(page.getByLabel('API token'));
    tally.keystrokes += 1;
    await page.keyboard.insertText(analyst);
    await tally.click(page.getByRole('button', { name: 'Sign in' }));
    await page.locator('tbody tr').nth(9).waitFor();
    await tally.click(page.locator('tbody a').first());
    for (let i = 0; i < 10; i += 1) {
      const heading = page.getByRole('heading', { level: 1, name: /^Flag \d+: 0987 000 50\d/ });
      await heading.waitFor();
      const id = /Flag (\d+)/.exec((await heading.textContent()) ?? '')?.[1];
      const decision = page.getByRole('form', { name: 'Decision' });
      await tally.choose(decision.getByLabel('Decision'), 'warn');
      await tally.choose(decision.getByLabel('Reason', { exact: true }), 'confirmed_scam');
      await tally.click(decision.getByLabel(/Note for the audit trail/));
      await tally.type(NOTE);
      await tally.click(decision.getByRole('button', { name: 'Record and open next' }));
      await page.getByText(`Recorded on flag ${id}: Warn the subscriber, reason: Confirmed scam.`).waitFor();
    }
    await page.getByText('No flags match.').waitFor();
    console.log(
      `task time, after, mouse: ${tally.clicks} clicks, ${tally.keystrokes} keystrokes (sign-in and ten flags)`,
    );
    expect(tally.clicks).toBe(2 + 1 + 10 * 6);
    expect(tally.keystrokes).toBe(1 + 10 * [...NOTE].length);
    expect(problems).toEqual([]);
  });

  it('keeps the filters in the address through a flag and back, applying each tick at once', async () => {
    const flags = [
      await raise(
        f,
        api,
        analyst,
        '+84987000420',
        ['Quảng cáo vay tiền', 'quang cao vay tien', 'QUẢNG CÁO vay tiền'],
        200,
      ),
      await raise(f, api, analyst, '+84987000421', ['Mời vay tiền nhanh', 'Moi vay tien nhanh', null], 210),
    ];
    const { page, problems } = await signedIn(analyst);
    await page.locator(`tr[data-flag-id="${flags[0].id}"]`).waitFor();
    expect(await page.getByRole('button', { name: /refresh/i }).count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Low' }).check();
    await page.waitForURL(/#\/queue\?status=open%2Cin_review&severity=low$/);
    // The focus stays on what was ticked, so the next tick is one Space away.
    expect(await page.evaluate<string>('document.activeElement.value')).toBe('low');
    await page.locator(`tr[data-flag-id="${flags[1].id}"] a`).click();
    await page.getByRole('heading', { name: /Flag \d+: 0987 000 421/ }).waitFor();
    expect(page.url()).toContain(`#/flags/${flags[1].id}?status=open%2Cin_review&severity=low`);
    await page.getByRole('link', { name: '← Review queue' }).click();
    await page.waitForURL(/#\/queue\?status=open%2Cin_review&severity=low$/);
    expect(await page.getByRole('checkbox', { name: 'Low' }).isChecked()).toBe(true);
    // The skip link leads past the header to the page's heading.
    await page.getByRole('link', { name: 'Skip to the content' }).focus();
    await page.keyboard.press('Enter');
    expect(await focusedTag(page)).toBe('H1');
    // And with the keyboard: open the first, j and k between flags in the queue's order, then g q.
    // The rows arrive after the address changes (the queue asks the API again), so wait for the
    // page to say how many it shows before reading them.
    await page
      .getByRole('status')
      .filter({ hasText: /^2 flags shown\.$/ })
      .waitFor();
    const order = await page
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-flag-id')));
    expect(order.sort()).toEqual([String(flags[0].id), String(flags[1].id)].sort());
    const flagHeading = (id: string | null) =>
      page.getByRole('heading', { level: 1, name: new RegExp(`^Flag ${id}: `) });
    await page.keyboard.press('j');
    await page.keyboard.press('o');
    await flagHeading(order[0]).waitFor();
    await page.keyboard.press('j');
    await flagHeading(order[1]).waitFor();
    expect(page.url()).toContain('severity=low');
    await page.keyboard.press('j');
    await page.getByText('No further flag in this queue.').waitFor();
    await page.keyboard.press('k');
    await flagHeading(order[0]).waitFor();
    await page.keyboard.press('g');
    await page.keyboard.press('q');
    await page.waitForURL(/#\/queue\?status=open%2Cin_review&severity=low$/);
    await page.goBack();
    await flagHeading(order[0]).waitFor();
    expect(page.url()).toContain('severity=low');
    // "Possibly coordinated" is a tick like the others, kept in the address and asked of the API.
    await f.db.query(`UPDATE flags SET possibly_coordinated = true WHERE id = $1`, [flags[0].id]);
    await page.goto(`${api.baseUrl}/console/#/queue`);
    await page.locator(`tr[data-flag-id="${flags[1].id}"]`).waitFor();
    await page.getByRole('checkbox', { name: 'Possibly coordinated' }).check();
    await page.waitForURL(/#\/queue\?status=open%2Cin_review&coordinated=true$/);
    // The queue is drawn again: the uncoordinated row goes, then the coordinated one is back.
    await page.locator(`tr[data-flag-id="${flags[1].id}"]`).waitFor({ state: 'detached' });
    await page.locator(`tr[data-flag-id="${flags[0].id}"]`).waitFor();
    expect(await page.locator(`tr[data-flag-id="${flags[1].id}"]`).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('shows the evidence and the decision on one screen, and keeps the note after a conflict', async () => {
    const flag = await raise(
      f,
      api,
      analyst,
      '+84987000430',
      [
        'Bạn trúng thưởng 5000000 đ, gọi lại ngay',
        'ban trung thuong 300000 d, goi lai ngay',
        'BẠN TRÚNG  THƯỞNG 10 Đ, gọi lại ngay',
        'Đòi nợ thuê',
        null,
      ],
      300,
    );
    const { page, problems } = await signedIn(analyst);
    await page.goto(`${api.baseUrl}/console/#/flags/${flag.id}`);
    await page.getByRole('heading', { name: /Flag \d+: 0987 000 430/ }).waitFor();
    expect(await page.locator('.summary-line').textContent()).toMatch(
      /^5 reporters, 5 reports since .+; the latest .+\. All within the last day: a new wave\.$/,
    );
    const groups = await page
      .getByRole('region', { name: 'Recent reports' })
      .locator('summary')
      .allTextContents();
    expect(groups).toHaveLength(3);
    expect(groups[0]).toMatch(/^3 × /);
    expect(groups.slice(1).sort()).toEqual(['1 × no text', '1 × Đòi nợ thuê']);
    // At 1280x800 the decision sits beside the evidence, and both start on the first screen.
    const decide = await page.getByRole('region', { name: 'Decide' }).boundingBox();
    const firstGroup = await page.locator('details.report-group').first().boundingBox();
    const history = await page.getByRole('region', { name: 'History' }).boundingBox();
    expect(decide!.x).toBeGreaterThan(firstGroup!.x + firstGroup!.width - 1);
    expect(decide!.y + decide!.height).toBeLessThanOrEqual(800);
    expect(firstGroup!.y).toBeLessThan(800);
    expect(history!.y).toBeLessThan(800);
    expect(await accessibilityViolations(page)).toEqual([]);

    const decision = page.getByRole('form', { name: 'Decision' });
    await decision.getByLabel('Decision').selectOption('warn');
    await decision.getByLabel('Reason', { exact: true }).selectOption('confirmed_scam');
    await decision.getByLabel(/Note for the audit trail/).fill('Tin nhắn trúng thưởng giả');
    // Meanwhile a supervisor claims it.
    const taken = await api.post(`/api/v1/flags/${flag.id}/assign`, supervisor, {}, { 'if-match': '"1"' });
    expect(taken.status).toBe(200);
    await decision.getByRole('button', { name: 'Record the decision' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'sup changed this flag while you were deciding' })
      .waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Your note is kept.');
    // An analyst may no longer decide on the supervisor's flag; a supervisor reading it keeps the note.
    const sup = await signedIn(supervisor);
    await sup.page.goto(`${api.baseUrl}/console/#/flags/${flag.id}`);
    const supDecision = sup.page.getByRole('form', { name: 'Decision' });
    await supDecision.getByLabel('Decision').selectOption('warn');
    await supDecision.getByLabel('Reason', { exact: true }).selectOption('harassment');
    await supDecision.getByLabel(/Note for the audit trail/).fill('Ghi chú của giám sát viên');
    await api.post(
      `/api/v1/flags/${flag.id}/assign`,
      supervisor,
      { assignee: 'analyst-a' },
      { 'if-match': '"2"' },
    );
    await supDecision.getByRole('button', { name: 'Record the decision' }).click();
    await sup.page.getByRole('alert').waitFor();
    expect(
      await sup.page
        .getByRole('form', { name: 'Decision' })
        .getByLabel(/Note for the audit trail/)
        .inputValue(),
    ).toBe('Ghi chú của giám sát viên');
    expect((await api.get(`/api/v1/flags/${flag.id}`, supervisor)).body.status).toBe('in_review');
    expect([...problems, ...sup.problems]).toEqual([]);
  });

  it('looks a number up from the header, however it is written', async () => {
    const { page, problems } = await signedIn(analyst);
    await page.keyboard.press('/');
    await page.keyboard.type('0987.000.430');
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', { level: 1, name: 'Number 0987 000 430' });
    await heading.waitFor();
    expect(await focusedTag(page)).toBe('H1');
    expect(await page.title()).toBe('Number 0987 000 430 — abuse-monitor');
    expect(await page.getByRole('link', { name: /^Flag \d+: In review, Low$/ }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.goto(`${api.baseUrl}/console/#/numbers/not-a-number`);
    await page
      .getByRole('alert')
      .filter({ hasText: 'That is not a number the console can look up.' })
      .waitFor();
    expect(problems).toEqual([]);
  });

  it('announces new flags instead of moving the rows, and shows them when asked', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.clock.install();
    await page.goto(`${api.baseUrl}/console/`);
    await page.getByLabel('API token').fill(analyst);
    await page.keyboard.press('Enter');
    await page.getByText(/flags? shown\./).waitFor();
    const before = await page.locator('tbody tr').count();
    const late = await raise(
      f,
      api,
      analyst,
      '+84987000440',
      ['Goi lam phien', 'goi lam phien', 'Gọi làm phiền'],
      400,
    );
    await page.clock.fastForward(31_000);
    await page.getByText('1 new flag since this list was loaded.').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(before);
    expect(await page.locator('.fresh').getAttribute('aria-live')).toBe('polite');
    await page.getByRole('button', { name: 'Show them' }).click();
    await page.locator(`tr[data-flag-id="${late.id}"]`).waitFor();
    expect(problems).toEqual([]);
  });

  it('speaks Vietnamese to a Vietnamese browser, and remembers a switch to English', async () => {
    const { page, problems } = await opened({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('vi');
    expect(await page.title()).toBe('Đăng nhập — abuse-monitor');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Mã truy cập API').fill(analyst);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Hàng đợi xét duyệt' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    expect(await page.getByRole('columnheader').allTextContents()).toContain('Mức độ');
    // The first cell holds the row's checkbox for bulk decisions, labelled in Vietnamese too.
    expect(await page.locator('tbody tr td').nth(1).textContent()).toBe('Thấp');
    expect(
      await page
        .locator('tbody tr')
        .first()
        .getByRole('checkbox', { name: /^Chọn cờ \d+/ })
        .count(),
    ).toBe(1);
    expect(await page.locator('tbody time').first().textContent()).toMatch(/trước$/);
    // Times in the analyst's zone, written out: the flags opened at 08:00 UTC, 15:00 in Hanoi.
    expect(await page.locator('tbody time').first().getAttribute('title')).toMatch(
      /^15:0\d GMT\+7 20 thg 11, 2026$/,
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('tbody a').first().click();
    await page.getByRole('heading', { level: 1, name: /^Cờ \d+: 0987/ }).waitFor();
    expect(await page.getByRole('region', { name: 'Quyết định' }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: /^Flag \d+: 0987/ }).waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /^Flag \d+: 0987/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Đổi sang tiếng Việt' }).textContent()).toBe('Tiếng Việt');
    expect(problems).toEqual([]);
  });

  it('reflows at 320 CSS px (400 % zoom of 1280): sign-in, queue and flag without sideways scrolling', async () => {
    const { page, problems } = await opened({ viewport: { width: 320, height: 640 } });
    const sideways = () => page.evaluate<number>('document.documentElement.scrollWidth');
    const field = await page.getByLabel('API token').boundingBox();
    expect(field!.x).toBeGreaterThanOrEqual(0);
    expect(field!.x + field!.width).toBeLessThanOrEqual(320);
    expect(await sideways()).toBeLessThanOrEqual(320);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('API token').fill(analyst);
    await page.keyboard.press('Enter');
    await page.locator('tbody tr').first().waitFor();
    expect(await sideways()).toBeLessThanOrEqual(320);
    await page.locator('tbody a').first().click();
    await page.getByRole('region', { name: 'Decide' }).waitFor();
    expect(await sideways()).toBeLessThanOrEqual(320);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
