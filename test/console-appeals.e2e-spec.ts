import { Browser } from 'playwright-core';
import { ApiClient, createToken, startApi } from './support/api';
import { accessibilityViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { screenshot, signInToConsole } from './support/console-page';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { readTopic } from './support/kafka';
import { seedFlag } from './support/seed';

/**
 * Appeals in the console (issue 21), in a real Chromium against the built API, PostgreSQL and
 * Kafka: an agent, who sees no queue, looks a blocked number up and records the subscriber's
 * appeal; a supervisor finds it in the appeal queue and reverses it, and the `lifted` event reaches
 * subscriber.flags. Each role sees only what it may do; axe-core finds no WCAG 2.1 AA violation on
 * any page drawn, and the page reports no CSP refusal.
 */

const NUMBER = '+84987003001';
const NATIONAL = '0987 003 001';
const STATEMENT = 'Số của cửa hàng tôi bị chặn nhầm; khách hàng không gọi được.';

describe('appeals in the review console', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let browser: Browser;
  let flagId: number;
  const tokens = { agent: '', analyst: '', sup: '' };

  beforeAll(async () => {
    f = await harness.fixture('console-appeals');
    [api, browser] = await Promise.all([startApi(harness, f), launchChromium()]);
    const made = await Promise.all([
      createToken(f.db.url, 'agent-3', 'agent'),
      createToken(f.db.url, 'lan', 'analyst'),
      createToken(f.db.url, 'sup', 'supervisor'),
    ]);
    [tokens.agent, tokens.analyst, tokens.sup] = made.map((t) => t.secret);
    flagId = Number(
      await seedFlag(f.db, {
        number: NUMBER,
        status: 'actioned',
        severity: 'high',
        takenAction: 'block_both',
        openedAt: new Date(Date.now() - 3_600_000),
        countsReportsAfter: new Date(Date.now() - 600_000),
      }),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('lets an agent record an appeal and a supervisor reverse it, lifting the block on subscriber.flags', async () => {
    // The agent starts on "record an appeal": no queue, no number search, no appeal list.
    const agent = await signInToConsole(browser, api.baseUrl, tokens.agent);
    const a = agent.page;
    await a.getByRole('heading', { level: 1, name: /Record an appeal|Ghi nhận khiếu nại/ }).waitFor();
    if ((await a.locator('html').getAttribute('lang')) === 'vi')
      await a.getByRole('button', { name: 'English' }).click();
    expect(await a.getByRole('link', { name: 'Appeals', exact: true }).count()).toBe(0);
    expect(await a.locator('#number-search').count()).toBe(0);

    await a.getByLabel('Subscriber’s number').fill('0987003001');
    await a.getByRole('button', { name: 'Look up' }).click();
    await a.getByText(`${NATIONAL}: Block both ways`).waitFor();
    await a.getByLabel(/What the subscriber says/).fill(STATEMENT);
    await a.getByLabel('How they got in touch').selectOption('shop');
    expect(await accessibilityViolations(a)).toEqual([]);
    await screenshot(a, 'appeal-record');
    await a.getByRole('button', { name: 'Record the appeal' }).click();
    const recorded = a.getByText(/^Appeal \d+ recorded: a supervisor decides it by /);
    await recorded.waitFor();
    const appealId = Number(/Appeal (\d+) recorded/.exec((await recorded.textContent()) ?? '')?.[1]);
    expect(appealId).toBeGreaterThan(0);
    // Looked up again, the number shows the appeal waiting, and no second form.
    await a.reload();
    await a.getByText(/An appeal is already waiting/).waitFor();
    expect(await a.getByRole('button', { name: 'Record the appeal' }).count()).toBe(0);
    expect(agent.problems).toEqual([]);

    // An analyst reads the appeal but is offered no decision.
    const analyst = await signInToConsole(browser, api.baseUrl, tokens.analyst);
    const n = analyst.page;
    if ((await n.locator('html').getAttribute('lang')) === 'vi')
      await n.getByRole('button', { name: 'English' }).click();
    await n.goto(`${api.baseUrl}/console/#/appeals/${appealId}`);
    await n.getByRole('heading', { level: 1, name: `Appeal ${appealId}: ${NATIONAL}` }).waitFor();
    expect(await n.getByRole('button', { name: 'Record the decision' }).count()).toBe(0);
    // The flag's page and the queue show the appeal.
    await n.goto(`${api.baseUrl}/console/#/flags/${flagId}`);
    await n.getByRole('link', { name: `Appeal ${appealId}: Pending` }).waitFor();
    await n.goto(`${api.baseUrl}/console/#/queue?status=actioned`);
    await n.locator('.badge.appeal').first().waitFor();
    expect(await n.locator('.badge.appeal').first().textContent()).toMatch(/^Appealed, due /);
    expect(await accessibilityViolations(n)).toEqual([]);
    expect(analyst.problems).toEqual([]);

    // The supervisor sees it in the appeal queue, opens it and reverses it.
    const sup = await signInToConsole(browser, api.baseUrl, tokens.sup);
    const s = sup.page;
    if ((await s.locator('html').getAttribute('lang')) === 'vi')
      await s.getByRole('button', { name: 'English' }).click();
    await s.getByRole('link', { name: 'Appeals', exact: true }).click();
    await s.getByRole('heading', { level: 1, name: 'Appeals' }).waitFor();
    const row = s.locator(`tr[data-appeal="${appealId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('In a shop');
    expect(await accessibilityViolations(s)).toEqual([]);
    await screenshot(s, 'appeals');
    await row.getByRole('link', { name: NATIONAL }).click();
    await s.getByRole('heading', { level: 1, name: `Appeal ${appealId}: ${NATIONAL}` }).waitFor();
    await s.getByText(STATEMENT).waitFor();
    await s.getByLabel('Reverse: lift the action').check();
    await s.getByLabel(/^Note/).fill('A shop’s own number, reported by a rival: lifted.');
    await s.getByLabel('For how many days').selectOption('90');
    await s.getByLabel('Why it is allowlisted').fill('reversed on appeal');
    await s.getByLabel('Who owns the entry').fill('care team');
    expect(await accessibilityViolations(s)).toEqual([]);
    await screenshot(s, 'appeal-decision');
    await s.getByRole('button', { name: 'Record the decision' }).click();
    await s
      .getByText(/^Appeal reversed: Block both ways is lifted\. Provisioning receives lifted \(flag:/)
      .waitFor();
    await s.getByText(/^The number is allowlisted until /).waitFor();
    expect(await s.getByRole('button', { name: 'Record the decision' }).count()).toBe(0);
    await screenshot(s, 'appeal-reversed');
    expect(await accessibilityViolations(s)).toEqual([]);
    // A laptop at 200% zoom shows 640 CSS pixels: the appeal and the queue still fit, nothing to scroll sideways.
    for (const hash of [`#/appeals/${appealId}`, '#/appeals?status=all']) {
      await s.goto(`${api.baseUrl}/console/${hash}`);
      await s.setViewportSize({ width: 640, height: 400 });
      await s.getByRole('heading', { level: 1 }).waitFor();
      expect(
        await s.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth'),
      ).toBe(true);
    }
    expect(sup.problems).toEqual([]);

    const events = await readTopic(f.kafka, f.topics.subscriberFlags, (r) =>
      r.some((m) => m.value?.includes('"type":"lifted"')),
    );
    const lifted = events.map((m) => JSON.parse(m.value ?? '{}')).find((e) => e.type === 'lifted');
    expect(lifted).toMatchObject({
      reportedNumber: NUMBER,
      status: 'dismissed',
      takenAction: null,
      liftedAction: 'block_both',
      actor: 'sup',
    });
    const [flag] = await f.db.query<{ status: string; taken_action: string | null }>(
      `SELECT status, taken_action FROM flags WHERE id = $1`,
      [flagId],
    );
    expect(flag).toEqual({ status: 'dismissed', taken_action: null });
  });
});
