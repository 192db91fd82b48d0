import fc from 'fast-check';
import { ApiClient, createToken, expectProblem, Json, startApi } from './support/api';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { seedCounters, seedFlag, seedReports } from './support/seed';

/** The SLAs the API runs with here (the defaults): queue high 2 h, medium 24 h, low 72 h. */
const HOUR = 3_600_000;
const SLA = { high: 2 * HOUR, medium: 24 * HOUR, low: 72 * HOUR } as const;
type Severity = keyof typeof SLA;
const RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1 };

let serial = 0;
/** A fresh valid Vietnamese mobile for each flag: +84987 and six digits. */
const nextNumber = () => `+84987${String(100000 + ++serial).slice(-6)}`;

interface Seeded {
  id: number;
  number: string;
  severity: Severity;
  slaStartedAt: Date;
  reporters: number;
}

/**
 * Each test's flags are opened within a day of their own, so a filter on that day lists only them
 * while all share one database.
 */
const dayOf = (test: number) => new Date(Date.UTC(2026, 0, test, 0, 0, 0));
const windowOf = (test: number) =>
  `openedSince=${dayOf(test).toISOString()}&openedUntil=${dayOf(test + 1).toISOString()}`;

describe('the queue in urgency order, and the analyst loop around it', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  const t: Record<'analystA' | 'analystB' | 'supervisor', string> = {
    analystA: '',
    analystB: '',
    supervisor: '',
  };

  async function seedOpen(
    test: number,
    severity: Severity,
    slaStartedAt: Date,
    reporters: number,
    extra: { status?: 'open' | 'in_review'; number?: string } = {},
  ): Promise<Seeded> {
    const number = extra.number ?? nextNumber();
    const id = await seedFlag(f.db, {
      number,
      severity,
      status: extra.status ?? 'open',
      openedAt: new Date(dayOf(test).getTime() + 60_000 * (serial % 600)),
      slaStartedAt,
    });
    await seedCounters(f.db, number, new Date(Date.now() - 10 * 60_000), reporters);
    return { id: Number(id), number, severity, slaStartedAt, reporters };
  }

  async function allPages(
    query: string,
    limit: number,
  ): Promise<{ ids: number[]; totals: (number | null)[] }> {
    const ids: number[] = [];
    const totals: (number | null)[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 500; page++) {
      const r: Json = await api.get(
        `/api/v1/flags?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        t.analystA,
      );
      expect(r.status).toBe(200);
      ids.push(...r.body.items.map((item: { id: number }) => item.id));
      totals.push(r.body.total);
      cursor = r.body.nextCursor;
      if (!cursor) return { ids, totals };
    }
    throw new Error('more pages than flags');
  }

  beforeAll(async () => {
    f = await harness.fixture('apiqueue');
    api = await startApi(harness, f);
    const [a, b, s] = await Promise.all([
      createToken(f.db.url, 'analyst-a', 'analyst'),
      createToken(f.db.url, 'analyst-b', 'analyst'),
      createToken(f.db.url, 'sup', 'supervisor'),
    ]);
    Object.assign(t, { analystA: a.secret, analystB: b.secret, supervisor: s.secret });
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('lists open flags soonest SLA end first, then most severe, then most reporters, with their SLA and count', async () => {
    const now = Date.now();
    // A low flag whose 72 h ran out an hour ago comes before a high one with 45 minutes left.
    const lateLow = await seedOpen(1, 'low', new Date(now - SLA.low - HOUR), 3);
    const highHourLeft = await seedOpen(1, 'high', new Date(now - 1.25 * HOUR), 2);
    // Same end of SLA: the high one (2 h from 1 h ago) before the medium one (24 h from 23 h ago).
    const sameEnd = new Date(now + HOUR);
    const highSameEnd = await seedOpen(1, 'high', new Date(sameEnd.getTime() - SLA.high), 5);
    const mediumSameEnd = await seedOpen(1, 'medium', new Date(sameEnd.getTime() - SLA.medium), 900);
    // Same end and severity: 964 reporters before 12.
    const few = await seedOpen(1, 'medium', new Date(now + 3 * HOUR - SLA.medium), 12);
    const many = await seedOpen(1, 'medium', new Date(now + 3 * HOUR - SLA.medium), 964);
    // In review: its review SLA (high: 4 h) counts.
    const review = await seedOpen(1, 'high', new Date(now - 3.5 * HOUR), 1, { status: 'in_review' });

    const r = await api.get(`/api/v1/flags?status=open,in_review&${windowOf(1)}`, t.analystA);
    expect(r.status).toBe(200);
    expect(r.body.sort).toBe('urgency');
    expect(r.body.total).toBe(7);
    expect(r.body.items.map((i: { id: number }) => i.id)).toEqual(
      [lateLow, review, highHourLeft, highSameEnd, mediumSameEnd, many, few].map((s) => s.id),
    );
    const first = r.body.items[0];
    expect(first.slaDueAt).toBe(new Date(lateLow.slaStartedAt.getTime() + SLA.low).toISOString());
    expect(r.body.items[1].slaDueAt).toBe(new Date(review.slaStartedAt.getTime() + 4 * HOUR).toISOString());
    expect(first.lastReportAt).toEqual(expect.any(String));
    expect(r.body.items[5].distinctReporters24h).toBe(964);

    // Another order is still there when asked for, with the same count; decided statuses keep severity.
    const bySeverity = await api.get(`/api/v1/flags?status=open&sort=severity&${windowOf(1)}`, t.analystA);
    expect(bySeverity.body).toMatchObject({ sort: 'severity', total: 6 });
    expect(bySeverity.body.items[0].severity).toBe('high');
    const everything = await api.get(`/api/v1/flags?${windowOf(1)}`, t.analystA);
    expect(everything.body.sort).toBe('severity');
    expectProblem(await api.get(`/api/v1/flags?status=open,actioned&sort=urgency`, t.analystA), 400);
  });

  it('pages through the urgency order without repeating or skipping a flag, ties and all', async () => {
    // Few distinct SLA starts, severities and reporter counts: many flags tie on every key but id.
    const base = Date.now() - 30 * HOUR;
    const reviewSla = { high: 4 * HOUR, medium: 48 * HOUR, low: 168 * HOUR };
    const seeded: (Seeded & { due: number })[] = [];
    for (let i = 0; i < 45; i++) {
      const severity = (['high', 'medium', 'low'] as const)[i % 3];
      const status = i % 5 === 0 ? 'in_review' : 'open';
      // Four SLA ends shared by all severities of the queue: ties on the first key everywhere, and
      // within one stage and severity the later flags of a tie have more reporters, so come first.
      const start = new Date(base + (i % 4) * HOUR - (SLA[severity] - SLA.high));
      const flag = await seedOpen(2, severity, start, 1 + Math.floor(i / 24) * 10, { status });
      seeded.push({ ...flag, due: start.getTime() + (status === 'open' ? SLA : reviewSla)[severity] });
    }
    const expected = [...seeded].sort(
      (a, b) =>
        a.due - b.due || RANK[b.severity] - RANK[a.severity] || b.reporters - a.reporters || a.id - b.id,
    );
    const whole = await allPages(`status=open,in_review&${windowOf(2)}`, 200);
    expect(whole.ids).toEqual(expected.map((s) => s.id));

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 13 }), async (limit) => {
        const paged = await allPages(`status=open,in_review&${windowOf(2)}`, limit);
        expect(paged.ids).toEqual(whole.ids);
        expect(paged.totals).toEqual([45, ...paged.totals.slice(1).map(() => null)]);
      }),
      { numRuns: 8 },
    );
  });

  it('says how many flags run out of SLA within the hour and within four, and how many already did', async () => {
    const before = (await api.get('/api/v1/flags/due-soon', t.analystA)).body;
    const now = Date.now();
    await seedOpen(3, 'high', new Date(now - SLA.high + 30 * 60_000), 1); // 30 min left
    await seedOpen(3, 'high', new Date(now - SLA.high + 30 * 60_000), 1);
    await seedOpen(3, 'medium', new Date(now - SLA.medium + 3 * HOUR), 1); // 3 h left
    await seedOpen(3, 'low', new Date(now - SLA.low - 60_000), 1); // a minute past
    await seedOpen(3, 'low', new Date(now - SLA.low + 5 * HOUR), 1); // 5 h left: neither
    const after = await api.get('/api/v1/flags/due-soon', t.analystA);
    expect(after.status).toBe(200);
    expect(after.body.within1h - before.within1h).toBe(2);
    expect(after.body.within4h - before.within4h).toBe(3);
    expect(after.body.overdue - before.overdue).toBe(1);
    expect(after.body.byStage).toContainEqual(
      expect.objectContaining({ stage: 'queue', severity: 'high', within1h: expect.any(Number) }),
    );
  });

  it('filters the possibly coordinated flags', async () => {
    const coordinated = await seedOpen(4, 'high', new Date(), 7);
    const plain = await seedOpen(4, 'high', new Date(), 7);
    await f.db.query(`UPDATE flags SET possibly_coordinated = true WHERE id = $1`, [coordinated.id]);
    const yes = await api.get(`/api/v1/flags?status=open&coordinated=true&${windowOf(4)}`, t.analystA);
    expect(yes.body.items.map((i: { id: number }) => i.id)).toEqual([coordinated.id]);
    expect(yes.body.items[0].possiblyCoordinated).toBe(true);
    const no = await api.get(`/api/v1/flags?status=open&coordinated=false&${windowOf(4)}`, t.analystA);
    expect(no.body.items.map((i: { id: number }) => i.id)).toEqual([plain.id]);
    expectProblem(await api.get(`/api/v1/flags?coordinated=maybe`, t.analystA), 400);
  });

  it('lists the flags each person decided last, and what is assigned to them decided or not', async () => {
    const [mine, theirs, redecided, stillMine] = [
      await seedOpen(5, 'low', new Date(), 3),
      await seedOpen(5, 'low', new Date(), 3),
      await seedOpen(5, 'low', new Date(), 3),
      await seedOpen(5, 'low', new Date(), 3),
    ];
    const act = async (token: string, flag: number, version: number, action: string) => {
      const r = await api.post(`/api/v1/flags/${flag}/actions`, token, { action, note: 'xem xet', version });
      expect(r.status).toBe(200);
    };
    expect((await api.post(`/api/v1/flags/${mine.id}/assign`, t.analystA, { version: 1 })).status).toBe(200);
    await act(t.analystA, mine.id, 2, 'warn');
    await act(t.analystB, theirs.id, 1, 'dismiss');
    // A decided, a supervisor reopened, B decided again: the flag is B's decision now.
    await act(t.analystA, redecided.id, 1, 'dismiss');
    await act(t.supervisor, redecided.id, 2, 'reopen');
    await act(t.analystB, redecided.id, 3, 'warn');
    const claimed = await api.post(`/api/v1/flags/${stillMine.id}/assign`, t.analystA, { version: 1 });
    expect(claimed.status).toBe(200);

    const decidedByA = await api.get(`/api/v1/flags?decidedBy=analyst-a&${windowOf(5)}`, t.analystA);
    expect(decidedByA.body.items.map((i: { id: number }) => i.id)).toEqual([mine.id]);
    expect(decidedByA.body.total).toBe(1);
    const decidedByB = await api.get(
      `/api/v1/flags?decidedBy=analyst-b&sort=oldest&${windowOf(5)}`,
      t.analystA,
    );
    expect(decidedByB.body.items.map((i: { id: number }) => i.id).sort()).toEqual(
      [theirs.id, redecided.id].sort(),
    );

    const assignedOpen = await api.get(
      `/api/v1/flags?assignee=analyst-a&status=open,in_review&${windowOf(5)}`,
      t.analystA,
    );
    expect(assignedOpen.body.items.map((i: { id: number }) => i.id)).toEqual([stillMine.id]);
    const assignedAll = await api.get(
      `/api/v1/flags?assignee=analyst-a&status=open,in_review,actioned,dismissed&${windowOf(5)}`,
      t.analystA,
    );
    expect(assignedAll.body.items.map((i: { id: number }) => i.id).sort()).toEqual(
      [mine.id, stillMine.id].sort(),
    );
  });

  it('finds a number written three ways, and refuses what is not a number', async () => {
    const flag = await seedOpen(6, 'medium', new Date(), 4, { number: '+84987654321' });
    for (const written of ['0987.654.321', '+84 987 654 321', '84-987-654-321']) {
      const r = await api.get(`/api/v1/subscribers/${encodeURIComponent(written)}`, t.analystA);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ reportedNumber: '+84987654321', flag: { id: flag.id } });
      expect(r.body.counters.windows['24h'].distinctReporters).toBe(4);
    }
    const bad = await api.get(`/api/v1/subscribers/${encodeURIComponent('not a number')}`, t.analystA);
    expectProblem(bad, 400);
    expect(bad.body.errors[0]).toMatchObject({ in: 'path', field: 'number' });
  });

  it("links a flag to its reporters' other flags, its number block and the same text, saying why", async () => {
    const [r1, r2, r3] = ['+84912000701', '+84912000702', '+84912000703'];
    const at = (min: number) => new Date(Date.now() - min * 60_000);
    const subject = await seedOpen(7, 'high', new Date(), 2, { number: '+84986000100' });
    const byReporter = await seedOpen(7, 'low', new Date(), 1, { number: '+84985000200' });
    const sameBlock = await seedOpen(7, 'low', new Date(), 1, { number: '+84986000109' });
    const sameText = await seedOpen(7, 'low', new Date(), 1, { number: '+84985000300' });
    const unrelated = await seedOpen(7, 'low', new Date(), 1, { number: '+84985000400' });
    await seedReports(f.db, [
      {
        reportedNumber: subject.number,
        reporter: r1,
        receivedAt: at(5),
        content: 'Trung thuong  XE MAY, goi ngay',
      },
      { reportedNumber: subject.number, reporter: r2, receivedAt: at(4), content: 'lam phien' },
      { reportedNumber: byReporter.number, reporter: r1, receivedAt: at(3), content: 'khac' },
      {
        reportedNumber: sameText.number,
        reporter: r3,
        receivedAt: at(2),
        // Case and white space aside, at the ends too: a tab or a line break is white space (0069).
        content: '\t trung thuong xe may,\nGOI NGAY\n',
      },
      { reportedNumber: unrelated.number, reporter: r3, receivedAt: at(1), content: 'khong lien quan' },
    ]);
    const r = await api.get(`/api/v1/flags/${subject.id}/related`, t.analystA);
    expect(r.status).toBe(200);
    const why = Object.fromEntries(r.body.items.map((i: Json) => [i.flag.id, i.why]));
    expect(why).toEqual({
      [byReporter.id]: ['shared_reporters'],
      [sameBlock.id]: ['same_number_block'],
      [sameText.id]: ['same_text'],
    });
    expect(r.body.items[0]).toMatchObject({ flag: { id: byReporter.id }, sharedReporters: 1 });
    expectProblem(await api.get(`/api/v1/flags/999999999/related`, t.analystA), 404);
  });

  it('decides several flags at once, each against its version: a stale one is refused, the rest done', async () => {
    const flags = [
      await seedOpen(8, 'low', new Date(), 3),
      await seedOpen(8, 'low', new Date(), 3),
      await seedOpen(8, 'low', new Date(), 3),
    ];
    // Someone changed the second one since the list was read: it is at version 2 now.
    await api.post(`/api/v1/flags/${flags[1].id}/assign`, t.analystA, { version: 1 });
    const auditBefore = await f.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'flag.dismiss'`,
    );
    const r = await api.post('/api/v1/flags/bulk-decisions', t.analystA, {
      flags: flags.map((s) => ({ flagId: String(s.id), version: 1 })),
      action: 'dismiss',
      note: 'Quang cao, khong phai lua dao',
    });
    expect(r.status).toBe(200);
    expect(r.body.done).toEqual([
      { flagId: flags[0].id, version: 2, status: 'dismissed' },
      { flagId: flags[2].id, version: 2, status: 'dismissed' },
    ]);
    expect(r.body.refused).toEqual([
      expect.objectContaining({
        flagId: flags[1].id,
        status: 409,
        currentVersion: 2,
        type: expect.stringContaining('version-conflict'),
      }),
    ]);
    const audited = await f.db.query<{ target_id: string }>(
      `SELECT target_id FROM audit_log WHERE action = 'flag.dismiss' ORDER BY id DESC LIMIT 2`,
    );
    expect(audited.map((a) => Number(a.target_id)).sort()).toEqual([flags[0].id, flags[2].id].sort());
    const auditAfter = await f.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'flag.dismiss'`,
    );
    expect(auditAfter[0].n - auditBefore[0].n).toBe(2);
    const [stale] = await f.db.query<{ status: string }>(`SELECT status FROM flags WHERE id = $1`, [
      flags[1].id,
    ]);
    expect(stale.status).toBe('in_review');

    expectProblem(
      await api.post('/api/v1/flags/bulk-decisions', t.analystA, {
        flags: [
          { flagId: String(flags[0].id), version: 2 },
          { flagId: String(flags[0].id), version: 2 },
        ],
        action: 'reopen',
        note: 'x',
      }),
      400,
    );
  });

  it("gives each flag of a bulk decision its reason code, and refuses a code not of the action's kind", async () => {
    const flags = [await seedOpen(9, 'low', new Date(), 3), await seedOpen(9, 'low', new Date(), 3)];
    const wrong = await api.post('/api/v1/flags/bulk-decisions', t.analystA, {
      flags: flags.map((s) => ({ flagId: String(s.id), version: 1 })),
      action: 'warn',
      reasonCode: 'not_abuse',
      note: 'x',
    });
    expectProblem(wrong, 400);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'reasonCode' })]);
    expect((await api.get(`/api/v1/flags/${flags[0].id}`, t.analystA)).body.version).toBe(1);

    const r = await api.post('/api/v1/flags/bulk-decisions', t.analystA, {
      flags: flags.map((s) => ({ flagId: String(s.id), version: 1 })),
      action: 'warn',
      reasonCode: 'confirmed_spam',
      note: 'Tin nhan rac',
    });
    expect(r.status).toBe(200);
    expect(r.body.done).toEqual(flags.map((s) => ({ flagId: s.id, version: 2, status: 'actioned' })));
    const stored = await f.db.query<{ flag_id: string; reason_code: string }>(
      `SELECT flag_id, reason_code FROM flag_history WHERE change = 'actioned' AND flag_id = ANY($1) ORDER BY flag_id`,
      [flags.map((s) => String(s.id))],
    );
    expect(stored.map((row) => row.reason_code)).toEqual(['confirmed_spam', 'confirmed_spam']);
    const audit = await f.db.query<{ reason: string }>(
      `SELECT after->>'reasonCode' AS reason FROM audit_log WHERE action = 'flag.warn' AND target_id = ANY($1)`,
      [flags.map((s) => String(s.id))],
    );
    expect(audit.map((row) => row.reason)).toEqual(['confirmed_spam', 'confirmed_spam']);
  });
});

describe('claim next', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  const tokens: string[] = [];

  beforeAll(async () => {
    f = await harness.fixture('apiclaim');
    api = await startApi(harness, f);
    tokens.push(
      (await createToken(f.db.url, 'analyst-a', 'analyst')).secret,
      (await createToken(f.db.url, 'analyst-b', 'analyst')).secret,
    );
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('gives two analysts claiming at once the most urgent flags, never the same one, then 404', async () => {
    const now = Date.now();
    const seeded: { id: number; due: number }[] = [];
    for (let i = 0; i < 12; i++) {
      const number = `+84988${String(100000 + i).slice(-6)}`;
      const start = new Date(now - (i % 4) * HOUR - i * 1000);
      const id = Number(
        await seedFlag(f.db, { number, severity: 'high', openedAt: start, slaStartedAt: start }),
      );
      await seedCounters(f.db, number, new Date(now - 60_000), 3);
      seeded.push({ id, due: start.getTime() + SLA.high });
    }
    // Held by someone else: never claimed by next.
    await f.db.query(`UPDATE flags SET status = 'in_review', assignee = 'sup' WHERE id = $1`, [
      seeded[11].id,
    ]);

    // The first claim takes the most urgent flag.
    const first = await api.post('/api/v1/flags/claim-next', tokens[0]);
    expect(first.status).toBe(200);
    const mostUrgent = [...seeded.slice(0, 11)].sort((a, b) => a.due - b.due)[0];
    expect(first.body).toMatchObject({
      id: mostUrgent.id,
      status: 'in_review',
      assignee: 'analyst-a',
      version: 2,
    });
    expect(first.body.history.map((h: { change: string }) => h.change)).toEqual(['opened', 'claimed']);

    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api.post('/api/v1/flags/claim-next', tokens[i % 2])),
    );
    const won = claims.filter((r) => r.status === 200).map((r) => r.body.id as number);
    for (const r of claims.filter((c) => c.status !== 200)) expectProblem(r, 404);
    expect(won).toHaveLength(10);
    expect(new Set([first.body.id, ...won]).size).toBe(11);
    expect(new Set([first.body.id, ...won])).toEqual(new Set(seeded.slice(0, 11).map((s) => s.id)));

    const audit = await f.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'flag.assign' AND target_type = 'flag'`,
    );
    expect(audit[0].n).toBe(11);
    const history = await f.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM flag_history WHERE change = 'claimed'`,
    );
    expect(history[0].n).toBe(11);
    expectProblem(await api.post('/api/v1/flags/claim-next', tokens[1]), 404);
  });
});
