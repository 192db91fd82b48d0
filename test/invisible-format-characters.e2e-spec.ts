import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { ApiClient, expectProblem, RoleTokens, startApi, tokensForEveryRole } from './support/api';
import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce } from './support/kafka';

const SPAMMER = '+84987000701';
/** Right-to-left override: what follows it is shown reversed ("gnp.exe" reads "exe.png"). */
const RLO = '\u202e';

/**
 * Bidi controls and other invisible format characters (Unicode Cf) reorder or hide the text
 * around them when a colleague reads it. What people type into the API keeps none of them.
 */
describe('invisible format characters in what people type', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let t: RoleTokens;
  let flagId: string;

  beforeAll(async () => {
    f = await harness.fixture('typedtext');
    const aggregator = harness.start('aggregator', f.env);
    const [client, tokens] = await Promise.all([
      startApi(harness, f),
      tokensForEveryRole(f.db.url),
      produce(
        f.kafka,
        f.topics.accepted,
        [1, 2, 3].map((i) => asMessage(acceptedReport(SPAMMER, reporterNumber(700 + i), i))),
      ),
    ]);
    [api, t] = [client, tokens];
    const [flag] = await eventually(
      () => f.db.query<{ id: string }>('SELECT id FROM flags WHERE reported_number = $1', [SPAMMER]),
      (rows) => rows.length === 1,
    );
    flagId = flag.id;
    await aggregator.stop();
  });

  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  const flagVersion = async () =>
    (await f.db.query<{ sequence: number }>('SELECT sequence FROM flags WHERE id = $1', [flagId]))[0]
      .sequence;

  it('stores notes, allowlist reasons and owners, and rule names without them', async () => {
    const entry = await api.post('/api/v1/allowlist', t.supervisor, {
      kind: 'number',
      pattern: '1800 1090',
      reason: `bank \u200bhotline ${RLO}gnp.exe`,
      owner: `\u2067fraud-team\u2069`,
    });
    expect(entry.status).toBe(201);
    expect(entry.body).toMatchObject({ reason: 'bank hotline gnp.exe', owner: 'fraud-team' });

    const rule = await api.post('/api/v1/rules', t.supervisor, {
      id: 'night-calls',
      name: `Night ${RLO}calls\ufeff`,
      windowSeconds: 3600,
      measure: 'reports',
      threshold: 40,
      severity: 'medium',
      action: 'warn',
    });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ name: 'Night calls' });

    const claimed = await api.post(
      `/api/v1/flags/${flagId}/assign`,
      t.analyst,
      { note: `called ${RLO}8765 4321 090` },
      { 'if-match': `"${await flagVersion()}"` },
    );
    expect(claimed.status).toBe(200);

    expect(await f.db.query('SELECT reason, owner FROM allowlist')).toEqual([
      { reason: 'bank hotline gnp.exe', owner: 'fraud-team' },
    ]);
    expect(await f.db.query('SELECT name FROM rules WHERE id = $1', ['night-calls'])).toEqual([
      { name: 'Night calls' },
    ]);
    expect(
      await f.db.query(`SELECT note FROM flag_history WHERE flag_id = $1 AND note IS NOT NULL`, [flagId]),
    ).toEqual([{ note: 'called 8765 4321 090' }]);
  });

  it('refuses a note that is nothing but invisible characters as a missing note', async () => {
    const refused = await api.post(
      `/api/v1/flags/${flagId}/actions`,
      t.supervisor,
      { action: 'warn', note: `${RLO}\u200b \u2066` },
      { 'if-match': `"${await flagVersion()}"` },
    );
    expectProblem(refused, 400);
    expect(refused.body.errors).toContainEqual(
      expect.objectContaining({ in: 'body', field: 'note', message: 'a note is required' }),
    );
  });
});
