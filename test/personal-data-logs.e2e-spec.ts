import { acceptedReport, asMessage } from './support/accepted-report';
import { eventually } from './support/app-process';
import { Harness } from './support/ingest-fixture';
import { readTopic, produce } from './support/kafka';

const REPORTER = '+84911000701';
const SECRET_TEXT = 'noi dung rieng tu 4711';
/** Stands in for any refusal of a statement whose parameters hold a reporter and a report text. */
const REFUSE_REPORTER = `ALTER TABLE reports ADD CONSTRAINT e2e_refused_reporter CHECK (reporter <> '${REPORTER}')`;

describe('personal data in the logs of a failed statement', () => {
  const harness = new Harness();
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('logs the statement and its SQLSTATE, never the reporter number or the report text', async () => {
    const f = await harness.fixture('pii-logs');
    await f.db.query(REFUSE_REPORTER);
    const report = acceptedReport('+84987000951', REPORTER, 0, { content: SECRET_TEXT });
    await produce(f.kafka, f.topics.accepted, [asMessage(report)]);
    // 'log' (info), as in production; TypeORM's own logger wrote the parameters past the app's masking.
    const app = harness.start('aggregator', { ...f.env, LOG_LEVEL: 'log' });
    const [deadLetter] = await readTopic(f.kafka, f.topics.deadLetter, 1).catch((error: Error) => {
      throw new Error(`${error.message}; aggregator logs:\n${app.logs}`);
    });
    expect(JSON.parse(deadLetter?.value ?? '{}')).toMatchObject({ reason: 'unstorable' });
    await eventually(
      async () => app.logs,
      (logs) => logs.includes('SQLSTATE 23514'),
    );
    // The number in any notation, and the text.
    for (const leak of ['911000701', '911 000 701', '0911.000.701', SECRET_TEXT])
      expect(app.logs).not.toContain(leak);
    expect(app.logs).toMatch(
      /statement failed \(PostgreSQL error SQLSTATE 23514, table reports, constraint e2e_refused_reporter/,
    );
  });
});

describe('secrets in a configuration error', () => {
  const harness = new Harness();
  afterAll(() => harness.stopApps());

  it.each([
    ['aggregator', 'DATABASE_URL'],
    ['migrate', 'DATABASE_OWNER_URL'],
  ])('%s names the bad %s without its password', async (app, variable) => {
    // No database name: refused at start, before any connection.
    const started = harness.start(app, { [variable]: 'postgres://abuse:Pa55-s3cret@127.0.0.1:5432' });
    const { code } = await started.exited;
    expect(code).toBe(1);
    expect(started.logs).toContain(`${variable}: expected a URL like`);
    expect(started.logs).toContain('postgres://***@127.0.0.1:5432');
    expect(started.logs).not.toMatch(/Pa55|s3cret/);
  });
});
