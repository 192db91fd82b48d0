import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedFlag, seedReports } from './support/seed';
import { createTestDatabase, TestDatabase } from './support/test-database';

const SCRIPT = join(__dirname, '..', 'scripts', 'progress-line.js');

/** The line `npm start` prints every 5 s (scripts/local-run.sh), run as that script runs it. */
const progressLine = async (databaseUrl: string) =>
  (
    await promisify(execFile)(process.execPath, [SCRIPT], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    })
  ).stdout;

describe("npm start's progress line", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('progress');
  });
  afterAll(() => db.drop());

  it('counts the reports, those of the last 5 s, the rejections and the flags waiting, as the apps read', async () => {
    const now = new Date();
    await seedReports(db, [
      { reportedNumber: '+84987000101', reporter: '+84912000001', receivedAt: now },
      { reportedNumber: '+84987000101', reporter: '+84912000002', receivedAt: now },
      { reportedNumber: '+84987000102', reporter: '+84912000003', receivedAt: now },
    ]);
    await db.query(
      `INSERT INTO rejected_reports (channel, source_id, short_code, reporter, reason, received_at)
       VALUES ('sms', 'gw-1', '156', '+84912000004', 'no_number', now())`,
    );
    await seedFlag(db, { number: '+84987000101', openedAt: now });
    await seedFlag(db, { number: '+84987000102', openedAt: now, status: 'in_review', sequence: 2 });
    await seedFlag(db, { number: '+84987000103', openedAt: now, status: 'dismissed', sequence: 2 });
    // Last, so that only the script's own start stands between these and its 5-second window.
    await db.query(
      `UPDATE reports SET stored_at = CASE WHEN reporter = '+84912000003' THEN now() - interval '1 minute' ELSE now() END`,
    );

    expect(await progressLine(db.appUrl)).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}reports counted: 3 \(\+2 in 5 s\), messages rejected: 1, open flags: 2\n$/,
    );
  });

  it('says it cannot read PostgreSQL, and exits normally, when the database is not there', async () => {
    const gone = new URL(db.appUrl);
    gone.pathname = '/am_test_no_such_database';
    expect(await progressLine(gone.toString())).toMatch(
      /^cannot read PostgreSQL: .*am_test_no_such_database/,
    );
  });
});
