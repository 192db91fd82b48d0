import { join } from 'node:path';
import { launchChromium, pageProblems } from './support/browser';
import { accessibilityViolations } from './support/axe';
import { ApiClient, createToken, expectProblem, Json, startApi } from './support/api';
import { eventually } from './support/app-process';
import { runCaptured } from './support/cli';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce, readTopic } from './support/kafka';
import { TEST_APP_ROLE } from './support/postgres-urls';
import { rawSmsMessage } from './support/raw-sms';

/** A bank's number whose caller ID scammers show: protected through the API. */
const BANK = '+84912000222';
/** Listed in the deprecated PROTECTED_NUMBERS: the migrate step makes it a protected originator. */
const SEEDED = '+84912000111';
/** A scammer's own SIM, reported with the same words. */
const SCAMMER = '+84987000555';

/** `count` SMS reports about `number`, each from a reporter of its own (numbered from `from`). */
const reportsAbout = (number: string, count: number, from: number) =>
  Array.from({ length: count }, (_, i) =>
    rawSmsMessage({
      from: `09${String(30_000_000 + from + i)}`,
      to: '156',
      text: `LD ${number.replace('+84', '0')} gia danh ngan hang yeu cau chuyen tien`,
    }),
  );

const parsedEvents = (messages: { value: string | null }[]) =>
  messages.map((m) => JSON.parse(m.value ?? '{}'));

describe('a protected originator reported like an abuser is probable spoofing, never blocked', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let analyst: string;
  let supervisor: string;
  /** The flags the second test raised, which the console shows in the third. */
  const flagIds = { bank: 0, scammer: 0, seeded: 0 };

  beforeAll(async () => {
    f = await harness.fixture('spoofing');
    [analyst, supervisor] = [
      (await createToken(f.db.url, 'lan.analyst', 'analyst')).secret,
      (await createToken(f.db.url, 'hoa.supervisor', 'supervisor')).secret,
    ];
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('seeds the protected originators from the deprecated PROTECTED_NUMBERS, once, at the migrate step', async () => {
    const migrate = () =>
      runCaptured(process.execPath, [join(__dirname, '..', 'scripts', 'run-app.js'), 'migrate'], {
        DATABASE_OWNER_URL: f.db.url,
        DATABASE_APP_ROLE: TEST_APP_ROLE,
        // A short code was never reportable: it needs no entry.
        PROTECTED_NUMBERS: '0912 000 111,113',
      });
    const first = await migrate();
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('PROTECTED_NUMBERS is deprecated: added 1 of its 2 entries');
    expect((await migrate()).stdout).toContain('added 0 of its 2 entries');
    expect(
      await f.db.query(`SELECT number, kind, created_by FROM protected_originators ORDER BY number`),
    ).toEqual([{ number: SEEDED, kind: 'other', created_by: 'PROTECTED_NUMBERS' }]);
  });

  it('counts 50 reports about a protected bank number, flags it as spoofing with no block, and refuses an action', async () => {
    api = await startApi(harness, f);
    const created = await api.post('/api/v1/protected-originators', supervisor, {
      number: '0912 000 222',
      name: 'Vietcombank hotline',
      kind: 'bank',
      reason: 'customers receive scam calls showing it',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number: BANK, kind: 'bank', createdBy: 'hoa.supervisor' });
    expectProblem(
      await api.post('/api/v1/protected-originators', analyst, {
        number: '0912 000 333',
        name: 'x',
        kind: 'bank',
        reason: 'x',
      }),
      403,
    );

    // Ingest still has the old setting: it must accept these reports, not refuse them.
    const ingest = harness.start('ingest', { ...f.env, PROTECTED_NUMBERS: '0912000111' });
    harness.start('aggregator', f.env);
    await produce(f.kafka, f.topics.smsRaw, [
      ...reportsAbout(BANK, 50, 0),
      ...reportsAbout(SCAMMER, 30, 100),
      ...reportsAbout(SEEDED, 3, 200),
    ]);

    const flags = await eventually(
      () => api.get('/api/v1/flags?limit=200', analyst),
      // Raised to high once the reports of the batch that crossed the thresholds are counted.
      (r) =>
        r.status === 200 &&
        r.body.items.some((flag: Json) => flag.reportedNumber === SEEDED) &&
        [BANK, SCAMMER].every((n) =>
          r.body.items.some((flag: Json) => flag.reportedNumber === n && flag.severity === 'high'),
        ),
      60_000,
    );
    const flagOf = (number: string) => flags.body.items.find((flag: Json) => flag.reportedNumber === number);
    expect(flagOf(BANK)).toMatchObject({
      kind: 'spoofing',
      severity: 'high',
      recommendedAction: 'investigate_origin',
      status: 'open',
    });
    expect(flagOf(SEEDED)).toMatchObject({ kind: 'spoofing', recommendedAction: 'investigate_origin' });
    expect(flagOf(SCAMMER)).toMatchObject({
      kind: 'abuse',
      severity: 'high',
      recommendedAction: 'block_outgoing',
    });
    expect(ingest.logs).toContain('PROTECTED_NUMBERS (1 numbers) is deprecated and ignored by ingest');

    // Every report was counted: none refused as a protected number.
    const counted = await eventually(
      () => api.get(`/api/v1/flags/${flagOf(BANK).id}`, analyst),
      (r) => r.body.counters?.windows['24h'].distinctReporters === 50,
    );
    expect(counted.body.counters.totalReports).toBe(50);
    expect(await f.db.query(`SELECT reason FROM rejected_reports`)).toEqual([]);

    // The queue filters by kind.
    const spoofing = await api.get('/api/v1/flags?kind=spoofing&status=open', analyst);
    expect(spoofing.body.items.map((flag: Json) => flag.reportedNumber).sort()).toEqual([SEEDED, BANK]);
    const abuse = await api.get('/api/v1/flags?kind=abuse', analyst);
    expect(abuse.body.items.map((flag: Json) => flag.reportedNumber)).toEqual([SCAMMER]);
    expectProblem(await api.get('/api/v1/flags?kind=victim', analyst), 400);

    // Downstream: every event of the bank's flag says spoofing and none recommends a block.
    const events = parsedEvents(
      // The outbox relays each change after its commit: wait for the raises to high.
      await readTopic(f.kafka, f.topics.subscriberFlags, (r) =>
        [BANK, SCAMMER].every((n) =>
          parsedEvents(r).some((e) => e.reportedNumber === n && e.severity === 'high'),
        ),
      ),
    );
    const bankEvents = events.filter((e) => e.reportedNumber === BANK);
    expect(bankEvents.length).toBeGreaterThan(0);
    for (const event of bankEvents)
      expect(event).toMatchObject({ kind: 'spoofing', recommendedAction: 'investigate_origin' });
    expect(events.find((e) => e.reportedNumber === SCAMMER)).toMatchObject({ kind: 'abuse', type: 'opened' });
    expect(events.filter((e) => e.reportedNumber === SCAMMER).map((e) => e.recommendedAction)).toContain(
      'block_outgoing',
    );

    // A person may not block it; referring it to the police is what investigating allows.
    const bank = flagOf(BANK);
    [flagIds.bank, flagIds.scammer, flagIds.seeded] = [bank.id, flagOf(SCAMMER).id, flagOf(SEEDED).id];
    for (const action of ['block_outgoing', 'suspend', 'warn']) {
      const refused = await api.post(`/api/v1/flags/${bank.id}/actions`, analyst, {
        action,
        note: 'block it',
        version: bank.version,
      });
      expectProblem(refused, 409);
      expect(refused.body.type).toBe('urn:abuse-monitor:problem:probable-spoofing');
      expect(refused.body.detail).toContain('Vietcombank hotline');
    }
    expect((await api.get(`/api/v1/flags/${bank.id}`, analyst)).body.version).toBe(bank.version);
    const referred = await api.post(`/api/v1/flags/${bank.id}/actions`, analyst, {
      action: 'refer_police',
      note: 'spoofed caller ID, traced to an international gateway',
      version: bank.version,
    });
    expect(referred.status).toBe(200);
    expect(referred.body).toMatchObject({ status: 'actioned', takenAction: 'refer_police' });

    // The scammer's own number is acted on as before.
    const scammer = flagOf(SCAMMER);
    const blocked = await api.post(`/api/v1/flags/${scammer.id}/actions`, analyst, {
      action: 'block_outgoing',
      note: 'scam calls',
      version: scammer.version,
    });
    expect(blocked.status).toBe(200);

    // The list and its changes are audited.
    const audit = await api.get(`/api/v1/audit?targetType=protected_originator`, (await adminToken()).secret);
    expect(audit.body.items.map((e: Json) => [e.action, e.actor])).toEqual([
      ['protected_originator.create', 'hoa.supervisor'],
    ]);
  });

  const adminToken = () => createToken(f.db.url, 'root', 'admin');

  it('shows the kind in the console: a badge in the queue and on the flag, in English and Vietnamese', async () => {
    const browser = await launchChromium();
    try {
      for (const [locale, badge] of [
        ['en-US', 'Probable spoofing'],
        ['vi-VN', 'Nghi giả mạo số'],
      ] as const) {
        const page = await (await browser.newContext({ locale })).newPage();
        const problems = pageProblems(page);
        await page.goto(`${api.baseUrl}/console/`);
        await page.locator('input[name="token"]').fill(analyst);
        await page.keyboard.press('Enter');
        // Signed in: the queue of open flags (the seeded number's) is drawn.
        await page.locator('tr[data-flag-id]').first().waitFor();
        // Both were acted on in the test before: the bank referred to the police, the scammer blocked.
        await page.goto(`${api.baseUrl}/console/#/queue?status=actioned`);
        const bankRow = page.locator(`tr[data-flag-id="${flagIds.bank}"]`);
        await bankRow.waitFor();
        expect(await bankRow.locator('.badge.spoofing').innerText()).toBe(badge);
        const scammerRow = page.locator(`tr[data-flag-id="${flagIds.scammer}"]`);
        await scammerRow.waitFor();
        expect(await scammerRow.locator('.badge.spoofing').count()).toBe(0);
        expect(await accessibilityViolations(page)).toEqual([]);

        await bankRow.locator('a[data-flag-link]').click();
        await page.waitForURL(new RegExp(`#/flags/${flagIds.bank}`));
        const heading = page.locator('h1');
        await heading.locator('.badge.spoofing').waitFor();
        expect(await heading.locator('.badge.spoofing').innerText()).toBe(badge);
        expect(await accessibilityViolations(page)).toEqual([]);

        // An open spoofing flag offers no action against the number, and says why.
        await page.goto(`${api.baseUrl}/console/#/flags/${flagIds.seeded}`);
        await page.locator('h1 .badge.spoofing').waitFor();
        const offered = await page.locator('main').innerText();
        expect(offered).toContain(
          locale === 'en-US' ? 'no action against the number is offered' : 'không có biện pháp nào',
        );
        expect(offered).not.toContain(locale === 'en-US' ? 'Block both ways' : 'Chặn hai chiều');
        expect(offered).toContain(locale === 'en-US' ? 'Refer to the police' : 'Chuyển cơ quan công an');
        expect(problems).toEqual([]);
      }
    } finally {
      await browser.close();
    }
  });
});
