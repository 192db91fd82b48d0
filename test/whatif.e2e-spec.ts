import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULES, Rule } from '@abuse-monitor/domain';
import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { eventually } from './support/app-process';
import { runCli } from './support/cli';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce } from './support/kafka';

const whatIf = (databaseUrl: string, args: string[]) => runCli('whatif', args, { DATABASE_URL: databaseUrl });

/** A day of reports on 30 numbers, from 2 to 12 distinct reporters each, some of them scams. */
const dataset = () =>
  Array.from({ length: 30 }, (_, n) =>
    Array.from({ length: 2 + (n % 11) }, (_, r) =>
      acceptedReport(`+849870006${String(n).padStart(2, '0')}`, reporterNumber(n * 100 + r), n + r * 30, {
        kind: n % 4 === 0 ? 'scam_call' : 'spam_call',
      }),
    ),
  ).flat();

const candidateRules: Rule[] = DEFAULT_RULES.map((rule) =>
  rule.id === 'distinct-3-24h'
    ? { ...rule, threshold: 5 }
    : rule.id === 'distinct-10-24h'
      ? { ...rule, threshold: 7 }
      : rule,
);

async function runLive(f: IngestFixture, reports: ReturnType<typeof dataset>) {
  harness.start('aggregator', f.env);
  await produce(f.kafka, f.topics.accepted, reports.map(asMessage));
  await eventually(
    async () => Number((await f.db.query<{ n: string }>('SELECT count(*) AS n FROM reports'))[0].n),
    (n) => n === reports.length,
  );
  const rows = await f.db.query<{ severity: string; n: string }>(
    'SELECT severity, count(*) AS n FROM flags GROUP BY 1',
  );
  const totals = { low: 0, medium: 0, high: 0 } as Record<string, number>;
  for (const row of rows) totals[row.severity] = Number(row.n);
  return totals;
}

const harness = new Harness();

describe('npm run -s whatif', () => {
  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  it('predicts what the live pipeline does with candidate rules, and lists the numbers that differ', async () => {
    const reports = dataset();
    const current = await harness.fixture('whatif-current');
    const liveWithDefaults = await runLive(current, reports);

    const file = join(tmpdir(), `candidate-rules-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(candidateRules));
    const result = await whatIf(current.db.appUrl, ['--rules', file, '--since', '2026-11-01', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const outcome = JSON.parse(result.stdout);
    expect(outcome.reports).toBe(reports.length);
    expect(outcome.current).toEqual(liveWithDefaults);
    expect(outcome.differences.length).toBeGreaterThan(0);
    expect(outcome.differences[0]).toHaveProperty('before');

    const candidate = await harness.fixture('whatif-candidate');
    await candidate.db.query(
      `UPDATE rules SET threshold = CASE id WHEN 'distinct-3-24h' THEN 5 WHEN 'distinct-10-24h' THEN 7 ELSE threshold END`,
    );
    const liveWithCandidate = await runLive(candidate, reports);
    expect(outcome.candidate).toEqual(liveWithCandidate);

    const text = await whatIf(current.db.appUrl, ['--rules', file, '--since', '2026-11-01']);
    expect(text.stdout).toContain(`numbers whose outcome differs: ${outcome.differences.length}`);
    expect(text.stdout).toContain('every number: run again with --list');
    const listed = await whatIf(current.db.appUrl, ['--rules', file, '--since', '2026-11-01', '--list']);
    for (const d of outcome.differences as { reportedNumber: string }[])
      expect(listed.stdout).toContain(`  ${d.reportedNumber}  `);
    // Numbers too little reported to reach any threshold are counted, not replayed.
    expect(outcome.numbersReplayed).toBeLessThan(outcome.numbers);
    expect(outcome.numbersReplayed).toBeGreaterThanOrEqual(outcome.differences.length);
    const before = await whatIf(current.db.appUrl, [
      '--rules',
      file,
      '--since',
      '2026-10-01',
      '--until',
      '2026-11-01',
      '--json',
    ]);
    expect(JSON.parse(before.stdout)).toMatchObject({ reports: 0, numbers: 0, differences: [] });
    const backwards = await whatIf(current.db.appUrl, [
      '--rules',
      file,
      '--since',
      '2026-11-02',
      '--until',
      '2026-11-01',
    ]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('--until must come after --since');
    expect(outcome.anonymisedReports).toBe(0);
    expect(text.stdout).not.toContain('anonymised');

    // As the retention job leaves the oldest reports: the replay says how many it read.
    await current.db.query(
      `UPDATE reports SET reporter = 'anonymised', content = NULL, anonymised_at = now()
        WHERE report_id IN (SELECT report_id FROM reports ORDER BY received_at LIMIT 3)`,
    );
    const later = await whatIf(current.db.appUrl, ['--rules', file, '--since', '2026-11-01', '--json']);
    expect(JSON.parse(later.stdout).anonymisedReports).toBe(3);
    const laterText = await whatIf(current.db.appUrl, ['--rules', file, '--since', '2026-11-01']);
    expect(laterText.stdout).toContain(
      'note: 3 of these reports are past the retention period and anonymised',
    );
  });

  it('refuses a rules file with errors, naming the field', async () => {
    const f = await harness.fixture('whatif-bad');
    const file = join(tmpdir(), `bad-rules-${process.pid}.json`);
    writeFileSync(file, JSON.stringify([{ ...DEFAULT_RULES[0], threshold: 'three' }]));
    const result = await whatIf(f.db.appUrl, ['--rules', file, '--since', '2026-11-01']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\[0\]\.threshold/);
  });
});
