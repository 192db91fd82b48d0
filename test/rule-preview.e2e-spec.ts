import { ApiClient, createToken, expectProblem, Json, startApi } from './support/api';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { seedReports, SeedReport } from './support/seed';

/**
 * A supervisor's what-if before saving a rule change (issue 21, decision 0060), over reports
 * stored as the aggregator stores them.
 */

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-20T02:00:00Z');
const number = (i: number) => `+8498760${String(i).padStart(4, '0')}`;
const reporter = (i: number) => `+8491760${String(i).padStart(4, '0')}`;

/** Numbers 0-9 get 2 + i distinct reporters within an hour; number 10 gets 6 scam-call reporters. */
function reports(): SeedReport[] {
  const out: SeedReport[] = [];
  for (let i = 0; i < 10; i++)
    for (let r = 0; r < 2 + i; r++)
      out.push({
        reportedNumber: number(i),
        reporter: reporter(i * 100 + r),
        receivedAt: new Date(T0 + r * 60_000),
      });
  for (let r = 0; r < 6; r++)
    out.push({
      reportedNumber: number(10),
      reporter: reporter(2_000 + r),
      receivedAt: new Date(T0 + HOUR + r * 60_000),
      kind: 'scam_call',
    });
  return out;
}

describe('POST /api/v1/rules/what-if', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let supervisor: string;
  let analyst: string;
  const period = { from: '2026-11-19T00:00:00Z', to: '2026-11-22T00:00:00Z' };

  beforeAll(async () => {
    f = await harness.fixture('rulepreview');
    api = await startApi(harness, f);
    supervisor = (await createToken(f.db.url, 'sup-preview', 'supervisor')).secret;
    analyst = (await createToken(f.db.url, 'ana-preview', 'analyst')).secret;
    await seedReports(f.db, reports());
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  const preview = (body: Json, token = supervisor) => api.post('/api/v1/rules/what-if', token, body);

  it('counts the flags a higher threshold would not open, with examples, and changes nothing', async () => {
    const rulesBefore = await f.db.query(`SELECT * FROM rules ORDER BY id`);
    const answer = await preview({
      ...period,
      changes: [{ op: 'update', id: 'distinct-3-24h', threshold: 5 }],
    });
    expect(answer.status).toBe(200);
    const body = answer.body;
    // 3..11 reporters: numbers 1-9 flagged now; 10+ reporters (8, 9) medium; the scam number high.
    expect(body).toMatchObject({
      reports: 65 + 6,
      numbers: 11,
      anonymisedReports: 0,
      current: { low: 7, medium: 2, high: 1 },
      candidate: { low: 5, medium: 2, high: 1 },
      changes: { opened: 0, closed: 2, raised: 0, lowered: 0, actionChanged: 0 },
    });
    // Number 0 (2 reporters) cannot reach any threshold: counted, not replayed.
    expect(body.numbersReplayed).toBe(10);
    expect(body.examples.closed.map((d: Json) => d.reportedNumber)).toEqual([number(1), number(2)]);
    expect(body.examples.closed[0]).toMatchObject({
      before: { severity: 'low', ruleId: 'distinct-3-24h', recommendedAction: 'watch' },
      after: null,
    });
    expect(body.tookMs).toBeGreaterThanOrEqual(0);
    expect(await f.db.query(`SELECT * FROM rules ORDER BY id`)).toEqual(rulesBefore);
  });

  it('previews a new rule and a deleted one together', async () => {
    const answer = await preview({
      ...period,
      changes: [
        { op: 'delete', id: 'scam-distinct-5-24h' },
        {
          op: 'create',
          id: 'distinct-7-1h',
          name: '7 distinct reporters in an hour: one-way block',
          windowSeconds: 3600,
          measure: 'distinct_reporters',
          threshold: 7,
          severity: 'high',
          action: 'block_outgoing',
        },
      ],
    });
    expect(answer.status).toBe(200);
    // Numbers 5-9 (7..11 reporters in an hour) become high; the scam number drops to low (6 reporters).
    expect(answer.body.changes).toEqual({ opened: 0, closed: 0, raised: 5, lowered: 1, actionChanged: 0 });
    expect(answer.body.examples.lowered[0]).toMatchObject({
      reportedNumber: number(10),
      before: { severity: 'high' },
      after: { severity: 'low' },
    });
  });

  it('refuses analysts, invalid changes, unknown rules and periods too long or backwards', async () => {
    expectProblem(
      await preview({ ...period, changes: [{ op: 'delete', id: 'distinct-3-24h' }] }, analyst),
      403,
    );
    const bad = await preview({ ...period, changes: [{ op: 'update', id: 'distinct-3-24h', threshold: 0 }] });
    expectProblem(bad, 400);
    expect(bad.text).toContain('threshold');
    const unknown = await preview({
      ...period,
      changes: [{ op: 'update', id: 'no-such-rule', threshold: 4 }],
    });
    expectProblem(unknown, 400);
    expect(unknown.body.detail).toContain('no rule no-such-rule');
    const long = await preview({
      from: '2026-01-01T00:00:00Z',
      to: '2026-11-22T00:00:00Z',
      changes: [{ op: 'delete', id: 'distinct-3-24h' }],
    });
    expectProblem(long, 400);
    expect(long.body.detail).toContain('90 days at most');
    const backwards = await preview({
      from: period.to,
      to: period.from,
      changes: [{ op: 'delete', id: 'distinct-3-24h' }],
    });
    expectProblem(backwards, 400);
    expectProblem(await preview({ ...period, changes: [] }), 400);
  });
});
