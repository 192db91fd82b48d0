import { Browser, Page } from 'playwright-core';
import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { ApiClient, createToken, startApi } from './support/api';
import { eventually } from './support/app-process';
import { accessibilityViolations } from './support/axe';
import { launchChromium, pageProblems } from './support/browser';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce } from './support/kafka';

/**
 * The decision panel of the flag page in a real Chromium (issue 19, decision 0053): reason codes,
 * Watch, a confirmation that says what happened, handovers from the list of reviewers, and links
 * to related flags; each page checked with axe-core at WCAG 2.1 AA and for CSP refusals.
 */

const ZONE = 'Asia/Ho_Chi_Minh';

interface Raised {
  id: number;
  number: string;
}

/** Three reporters' texts about `number`: the seeded rule raises a low flag recommending Watch. */
async function raise(
  f: IngestFixture,
  api: ApiClient,
  token: string,
  number: string,
  reporters: number[],
  text: string,
): Promise<Raised> {
  await produce(
    f.kafka,
    f.topics.accepted,
    reporters.map((r, i) =>
      asMessage(acceptedReport(number, reporterNumber(r), i, { content: `${text} ${i}` })),
    ),
  );
  const listed = await eventually(
    () => api.get(`/api/v1/flags?status=open&limit=100`, token),
    (r) =>
      r.status === 200 &&
      r.body.items.some((flag: { reportedNumber: string }) => flag.reportedNumber === number),
  );
  const flag = listed.body.items.find((item: { reportedNumber: string }) => item.reportedNumber === number);
  return { id: flag.id, number };
}

/** The day as the analyst's browser writes it in their zone: "18 Dec 2026". */
function dayInZone(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: ZONE,
  }).format(Date.parse(iso));
}

describe('deciding in the review console', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let browser: Browser;
  let analyst: string;
  let supervisor: string;
  let admin: string;

  beforeAll(async () => {
    f = await harness.fixture('console-decisions');
    harness.start('aggregator', f.env);
    [api, browser] = await Promise.all([startApi(harness, f), launchChromium()]);
    [analyst, supervisor, admin] = (
      await Promise.all([
        createToken(f.db.url, 'analyst-a', 'analyst'),
        createToken(f.db.url, 'sup', 'supervisor'),
        createToken(f.db.url, 'root', 'admin'),
        createToken(f.db.url, 'analyst-b', 'analyst'),
      ])
    ).map((t) => t.secret);
  });
  afterAll(async () => {
    await browser?.close();
    await harness.stopApps();
    await harness.dropDatabases();
  });

  async function signedIn(token: string, locale = 'en-GB'): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale,
      timezoneId: ZONE,
    });
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${api.baseUrl}/console/`);
    await page.getByLabel(/API token|Mã truy cập API/).fill(token);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /^(Sign out|Đăng xuất)$/ }).waitFor();
    return { page, problems };
  }

  async function openFlag(page: Page, flag: Raised): Promise<void> {
    await page.goto(`${api.baseUrl}/console/#/flags/${flag.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Flag ${flag.id}: `) }).waitFor();
  }

  const focusedText = (page: Page) => page.evaluate<string>('document.activeElement?.textContent ?? ""');
  const historyItems = (page: Page) =>
    page.getByRole('region', { name: 'History' }).locator('li').allTextContents();

  it('records a decision with a reason code, reached by keyboard, into the history and the audit log', async () => {
    const flag = await raise(f, api, analyst, '+84987100101', [101, 102, 103], 'Goi lua dao');
    const { page, problems } = await signedIn(analyst);
    await openFlag(page, flag);
    const decision = page.getByRole('form', { name: 'Decision' });
    const reason = decision.getByLabel('Reason', { exact: true });
    // Nothing is chosen for the analyst, and the reasons wait for the decision.
    expect(await reason.locator('option').allTextContents()).toEqual(['Choose the decision first']);
    await page.keyboard.press('d');
    expect(await page.evaluate<string>('document.activeElement.name')).toBe('decision');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.name')).toBe('reasonCode');
    expect(await reason.locator('option').allTextContents()).toEqual([
      'Choose a reason…',
      'Confirmed scam',
      'Confirmed spam',
      'Harassment',
      'Repeat offence',
      'Requested by an authority',
    ]);
    await decision.getByLabel('Decision').selectOption('block_outgoing');
    // Without a reason the browser's check stops the form: nothing is sent.
    await decision.getByRole('button', { name: 'Record the decision' }).click();
    expect(
      await reason.evaluate(
        (select) => (select as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing,
      ),
    ).toBe(true);
    expect((await api.get(`/api/v1/flags/${flag.id}`, analyst)).body.status).toBe('open');
    await reason.selectOption('repeat_offence');
    await decision.getByLabel(/Note for the audit trail/).fill('Đã cảnh báo trước đây');
    expect(await accessibilityViolations(page)).toEqual([]);
    await decision.getByRole('button', { name: 'Record the decision' }).click();

    const confirmation = page.getByRole('status').filter({ hasText: 'Recorded:' });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toBe(
      'Recorded: Block outgoing (one-way), reason: Repeat offence. The flag is now Actioned (it was Open). ' +
        'Provisioning is told (1 event).',
    );
    // The focus is on what happened, and the page is still this flag's.
    expect(await focusedText(page)).toBe(await confirmation.textContent());
    expect(await page.title()).toMatch(new RegExp(`^Flag ${flag.id}: 0987 100 101 — `));
    const history = await historyItems(page);
    expect(history[0]).toContain('Actioned: Block outgoing (one-way)');
    expect(history[0]).toContain('Reason: Repeat offence');
    expect(history[0]).toContain('Đã cảnh báo trước đây');
    expect(await accessibilityViolations(page)).toEqual([]);

    const stored = await api.get(`/api/v1/flags/${flag.id}/history`, analyst);
    expect(stored.body.items.at(-1)).toMatchObject({
      change: 'actioned',
      reasonCode: 'repeat_offence',
      note: 'Đã cảnh báo trước đây',
      actor: 'analyst-a',
    });
    const audit = await api.get(`/api/v1/audit?targetType=flag&targetId=${flag.id}`, admin);
    expect(audit.body.items[0]).toMatchObject({
      action: 'flag.block_outgoing',
      actor: 'analyst-a',
      after: expect.objectContaining({ reasonCode: 'repeat_offence' }),
    });
    expect(problems).toEqual([]);
  });

  it('watches a low flag for the period chosen, and the flag says until when', async () => {
    const flag = await raise(f, api, analyst, '+84987200201', [201, 202, 203], 'Tin nhan la');
    const { page, problems } = await signedIn(analyst);
    await openFlag(page, flag);
    const decision = page.getByRole('form', { name: 'Decision' });
    expect(await decision.getByLabel('Decision').locator('option').allTextContents()).toContain(
      'Watch (recommended)',
    );
    // The period is asked only for Watch.
    expect(await decision.getByLabel('Watch for').isVisible()).toBe(false);
    await decision.getByLabel('Decision').selectOption('watch');
    expect(await decision.getByLabel('Watch for').inputValue()).toBe('7');
    await decision.getByLabel('Watch for').selectOption('14');
    await decision.getByLabel('Reason', { exact: true }).selectOption('too_few_reports');
    expect(await accessibilityViolations(page)).toEqual([]);
    const before = Date.now();
    await decision.getByRole('button', { name: 'Record the decision' }).click();

    const confirmation = page.getByRole('status').filter({ hasText: 'Recorded:' });
    await confirmation.waitFor();
    const stored = await api.get(`/api/v1/flags/${flag.id}/history`, analyst);
    expect(stored.body).toMatchObject({ status: 'watched', assignee: null });
    const until = Date.parse(stored.body.watchUntil);
    expect(until).toBeGreaterThanOrEqual(before + 14 * 86_400_000 - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + 14 * 86_400_000);
    expect(stored.body.items.at(-1)).toMatchObject({ change: 'watched', reasonCode: 'too_few_reports' });
    const said = (await confirmation.textContent()) ?? '';
    expect(said).toContain(
      'Recorded: Watch, reason: Too few reports yet. The flag is now Watched (it was Open).',
    );
    expect(said).toContain(`Watched until ${dayInZone(stored.body.watchUntil)}, `);
    expect(said).toContain('GMT+7: it comes back to the queue then');
    expect(said).toContain('Nothing was sent to provisioning.');
    expect(await focusedText(page)).toBe(said);

    // Opened again later, the watched flag says until when, and offers a decision or reopening, not Watch.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Flag ${flag.id}: `) }).waitFor();
    expect(await page.locator('p.warning', { hasText: 'Watched until' }).textContent()).toContain(
      dayInZone(stored.body.watchUntil),
    );
    expect(await page.locator('dl.summary').textContent()).toContain(
      `Watched until${dayInZone(stored.body.watchUntil)}`,
    );
    const options = await decision.getByLabel('Decision').locator('option').allTextContents();
    expect(options).not.toContain('Watch (recommended)');
    expect(options).toContain('Dismiss (no abuse)');
    expect(await page.getByRole('form', { name: 'Reopen' }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('lets a supervisor hand a flag over to someone from the list, with a note the history shows', async () => {
    const flag = await raise(f, api, analyst, '+84987300301', [301, 302, 303], 'Moi vay tien');
    const claimed = await api.post(`/api/v1/flags/${flag.id}/assign`, analyst, {}, { 'if-match': '"1"' });
    expect(claimed.status).toBe(200);
    const { page, problems } = await signedIn(supervisor);
    await openFlag(page, flag);
    const assign = page.getByRole('form', { name: 'Assign' });
    const people = await assign.getByLabel('Assign to').locator('option').allTextContents();
    // Who may review, with their workload; not the holder, and no token that cannot review.
    expect(people[0]).toBe('Choose a person…');
    expect(people).toContainEqual(expect.stringMatching(/^analyst-b \(analyst\): 0 in review, 0 overdue$/));
    expect(people).toContainEqual(expect.stringMatching(/^sup \(supervisor\): \d+ in review, \d+ overdue$/));
    expect(people.some((p) => p.startsWith('analyst-a '))).toBe(false);
    expect(people.some((p) => p.startsWith('root '))).toBe(true);
    await assign.getByLabel('Assign to').selectOption('analyst-b');
    await assign.getByLabel('Handover note (optional)').fill('Bàn giao: chờ chủ thuê bao gọi lại');
    expect(await accessibilityViolations(page)).toEqual([]);
    await assign.getByRole('button', { name: 'Assign' }).click();

    const confirmation = page.getByRole('status').filter({ hasText: 'Handed over' });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toBe(
      'Handed over from analyst-a to analyst-b. Your handover note is in the history.',
    );
    expect(await focusedText(page)).toBe(await confirmation.textContent());
    const history = await historyItems(page);
    expect(history[0]).toContain('Held by: analyst-a → analyst-b');
    expect(history[0]).toContain('Handover note: Bàn giao: chờ chủ thuê bao gọi lại');
    expect(history[0]).toContain('by sup');
    // The claim before it: from nobody to the analyst.
    expect(history[1]).toContain('Held by: nobody → analyst-a');
    expect(await page.locator('dl.summary').textContent()).toContain('Assigneeanalyst-b');
    expect(await accessibilityViolations(page)).toEqual([]);

    const stored = await api.get(`/api/v1/flags/${flag.id}/history`, supervisor);
    expect(stored.body.items.at(-1)).toMatchObject({
      fromAssignee: 'analyst-a',
      toAssignee: 'analyst-b',
      note: 'Bàn giao: chờ chủ thuê bao gọi lại',
      actor: 'sup',
    });
    // The list now counts the flag analyst-b holds.
    const reviewers = await api.get('/api/v1/reviewers', supervisor);
    expect(reviewers.body.items).toContainEqual(expect.objectContaining({ name: 'analyst-b', inReview: 1 }));
    expect(problems).toEqual([]);
  });

  it('confirms a dismissal that allowlists the number, naming how long the entry lasts', async () => {
    const flag = await raise(f, api, analyst, '+84987400401', [401, 402, 403], 'Tong dai ngan hang');
    const { page, problems } = await signedIn(supervisor);
    await openFlag(page, flag);
    const decision = page.getByRole('form', { name: 'Decision' });
    await decision.getByLabel('Decision').selectOption('dismiss');
    await decision.getByLabel('Reason', { exact: true }).selectOption('legitimate_business');
    await decision.getByRole('checkbox', { name: 'Allowlist' }).check();
    await decision.getByLabel('Why the number is legitimate').fill('Tổng đài chăm sóc khách hàng');
    await decision.getByLabel('Owner of the number').fill('Ngân hàng A');
    const period = decision.getByLabel('Allowlisted for');
    // A period by default: a number allowlisted for good is never looked at again.
    expect(await period.inputValue()).toBe('90');
    expect(await period.locator('option').allTextContents()).toEqual([
      '30 days',
      '90 days',
      '180 days',
      '365 days',
      'until removed',
    ]);
    await period.selectOption('180');
    expect(await accessibilityViolations(page)).toEqual([]);
    const sentAt = Date.now();
    await decision.getByRole('button', { name: 'Record the decision' }).click();

    const confirmation = page.getByRole('status').filter({ hasText: 'Recorded:' });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toMatch(
      new RegExp(
        '^Recorded: Dismiss \\(no abuse\\), reason: Legitimate business\\. The flag is now Dismissed \\(it was Open\\)\\. ' +
          '\\+84987400401 is allowlisted until .*2027.*\\. Provisioning is told \\(1 event\\)\\.$',
      ),
    );
    expect(await focusedText(page)).toBe(await confirmation.textContent());
    expect(await accessibilityViolations(page)).toEqual([]);
    const allowlist = await api.get('/api/v1/allowlist', supervisor);
    const entry = allowlist.body.items.find((e: { pattern: string }) => e.pattern === '+84987400401');
    expect(entry).toMatchObject({ owner: 'Ngân hàng A', inForce: true });
    const lasts = Date.parse(entry.expiresAt) - sentAt;
    expect(Math.abs(lasts - 180 * 86_400_000)).toBeLessThan(60_000);
    expect(problems).toEqual([]);
  });

  it('words the reasons, the periods and the confirmation in Vietnamese for a Vietnamese browser', async () => {
    const flag = await raise(f, api, analyst, '+84987600701', [701, 702, 703], 'Goi lam phien');
    const { page, problems } = await signedIn(analyst, 'vi-VN');
    await page.goto(`${api.baseUrl}/console/#/flags/${flag.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Cờ ${flag.id}: `) }).waitFor();
    const decision = page.getByRole('form', { name: 'Quyết định' });
    await decision.getByLabel('Quyết định', { exact: true }).selectOption('watch');
    expect(await decision.getByLabel('Lý do', { exact: true }).locator('option').allTextContents()).toEqual([
      'Chọn lý do…',
      'Còn quá ít báo cáo',
      'Nội dung chưa rõ',
      'Chờ thêm báo cáo',
    ]);
    expect(await decision.getByLabel('Theo dõi trong').locator('option').allTextContents()).toEqual([
      '1 ngày',
      '3 ngày',
      '7 ngày',
      '14 ngày',
      '28 ngày',
    ]);
    await decision.getByLabel('Lý do', { exact: true }).selectOption('unclear_content');
    expect(await accessibilityViolations(page)).toEqual([]);
    await decision.getByRole('button', { name: 'Ghi quyết định' }).click();
    const confirmation = page.getByRole('status').filter({ hasText: 'Đã ghi:' });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toMatch(
      /^Đã ghi: Theo dõi, lý do: Nội dung chưa rõ\. Cờ hiện ở trạng thái Đang theo dõi \(trước đó: Đang mở\)\. Theo dõi đến \d\d:\d\d GMT\+7 \d+ thg \d+, \d{4}: /,
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('links flags that share reporters, says why, and leads to the other flag', async () => {
    // The same three people report two numbers of different blocks with different texts.
    const first = await raise(f, api, analyst, '+84987500501', [501, 502, 503], 'Goi quay roi');
    const second = await raise(f, api, analyst, '+84912600601', [501, 502, 503], 'Tin quang cao');
    const { page, problems } = await signedIn(analyst);
    await openFlag(page, first);
    const related = page.getByRole('region', { name: 'Related flags' });
    const linkName = { name: `Flag ${second.id}: 0912 600 601 (Open, Low)` };
    const link = related.getByRole('link', linkName);
    await link.waitFor();
    expect(await related.locator('li', { has: page.getByRole('link', linkName) }).textContent()).toBe(
      `Flag ${second.id}: 0912 600 601 (Open, Low): the same people reported it (3 reporters in common)`,
    );
    // Only those three share anything with it here.
    expect(await related.locator('li').count()).toBe(1);
    // The focus stayed on the heading while the links arrived.
    expect(await page.evaluate<string>('document.activeElement.tagName')).toBe('H1');
    expect(await accessibilityViolations(page)).toEqual([]);
    await link.click();
    await page.getByRole('heading', { level: 1, name: `Flag ${second.id}: 0912 600 601 Low` }).waitFor();
    expect(await page.title()).toMatch(new RegExp(`^Flag ${second.id}: 0912 600 601 — `));
    await related.getByRole('link', { name: new RegExp(`^Flag ${first.id}: `) }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
