import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bandKeys, DEFAULT_RULES, encodeFingerprint, fingerprint, Rule } from '@abuse-monitor/domain';
import {
  SCAM_SCRIPTS,
  seededRandom,
  unrelatedText,
  variantOf,
} from '../libs/domain/src/campaigns/spec-support';
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

  it('shows how many numbers, and how many reports earlier, an actioned campaign would have caught', async () => {
    const f = await harness.fixture('whatif-campaigns');
    const random = seededRandom(63);
    const bank = () => variantOf(random, SCAM_SCRIPTS[0] as string, 1);
    const actionedAt = Date.parse('2026-11-10T12:00:00Z');
    const at = (hours: number) => new Date(actionedAt + hours * 3_600_000).toISOString();
    const rows: [string, string, string, string | null][] = [];
    const report = (number: string, reporter: number, hours: number, content: string | null) =>
      rows.push([number, `+8497${String(6_300_000 + reporter)}`, at(hours), content]);
    // Two members, flagged 10 hours before the campaign was actioned, by three people each.
    const members = ['+84987650001', '+84987650002'];
    const memberTexts = members.map(() => [bank(), bank(), bank()]);
    members.forEach((number, m) =>
      memberTexts[m]!.forEach((text, r) => report(number, m * 10 + r, -10 + r * 0.1, text)),
    );
    // After the action: the next SIM, reported by five people (the rules flag it at the third);
    const nextSim = '+84987650077';
    for (let r = 0; r < 5; r++) report(nextSim, 100 + r, 1 + r, bank());
    // one the rules never flag (two people, three reports);
    const quiet = '+84987650078';
    [200, 201, 200].forEach((reporter, r) => report(quiet, reporter, 2 + r, bank()));
    // one reported by two people only, too few for any flag rule to replay it;
    const pair = '+84987650079';
    [400, 401].forEach((reporter, r) => report(pair, reporter, 2 + r, bank()));
    // one flagged by the rules with texts about something else.
    const unrelated = '+84912340000';
    for (let r = 0; r < 4; r++) report(unrelated, 300 + r, 1 + r, unrelatedText(random));
    await f.db.query(
      `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                            number_type, carrier, content, weighted, received_at, stored_at)
       SELECT md5('whatif-campaign-' || ord)::uuid, n, rep, 'sms', '5656', 'src-' || ord, 'scam_call', 'impersonation',
              'mobile', 'viettel', content, true, t::timestamptz, t::timestamptz
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS x(n, rep, t, content, ord)`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
    );
    const flagIds: string[] = [];
    for (const number of members) {
      const [flag] = await f.db.query<{ id: string }>(
        `INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action, taken_action,
                            opened_at, last_change_at, sequence, sla_started_at)
         VALUES ($1, 'actioned', 'low', 'distinct-3-24h', 1, 'watch', 'block_outgoing', $2, $2, 2, $2) RETURNING id`,
        [number, at(-9)],
      );
      flagIds.push(flag!.id);
    }
    const [campaign] = await f.db.query<{ id: string }>(
      `INSERT INTO campaigns (status, severity, severity_reason, rules_version, member_count, distinct_reporters,
                              carriers, first_seen_at, last_seen_at, fingerprints, opened_at, taken_action, actioned_at)
       VALUES ('actioned', 'low', 'seeded', 1, 2, 6, '{viettel}', $1, $1, '{}', $1, 'block_outgoing', $2) RETURNING id`,
      [at(-10), at(0)],
    );
    for (const [m, number] of members.entries()) {
      const prints = memberTexts[m]!.map((text) => fingerprint(text));
      await f.db.query(
        `INSERT INTO campaign_members (reported_number, campaign_id, flag_id, evidence, joined_at, joined_by)
         VALUES ($1, $2, $3, '{"links": [], "mergedBySupervisor": false}', $4, 'scheduler')`,
        [number, campaign!.id, flagIds[m], at(-1)],
      );
      await f.db.query(
        `INSERT INTO number_fingerprints (reported_number, fingerprints, band_keys) VALUES ($1, $2::text[], $3::text[])`,
        [number, prints.map(encodeFingerprint), [...new Set(prints.flatMap(bandKeys))]],
      );
    }

    const file = join(tmpdir(), `campaign-view-rules-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(DEFAULT_RULES));
    const result = await whatIf(f.db.appUrl, ['--rules', file, '--since', '2026-11-01', '--json']);
    expect(result.stderr).toBe('');
    const { campaignView } = JSON.parse(result.stdout);
    expect(campaignView).toMatchObject({
      nextSimMinReporters: 2,
      actionedCampaigns: 1,
      numbersCompared: 4,
      caughtEarlier: 1,
      caughtOnly: 2,
      reportsEarlierTotal: 1,
      reportsEarlierMedian: 1,
      hoursEarlierMedian: 1,
    });
    expect(campaignView.catches).toEqual([
      expect.objectContaining({
        reportedNumber: nextSim,
        campaignId: campaign!.id,
        caughtAtReport: 2,
        caughtAt: Date.parse(at(2)),
        flaggedAtReport: 3,
        flaggedAt: Date.parse(at(3)),
        reportsEarlier: 1,
        msEarlier: 3_600_000,
      }),
      expect.objectContaining({ reportedNumber: quiet, caughtAtReport: 2, flaggedAtReport: null }),
      expect.objectContaining({ reportedNumber: pair, caughtAtReport: 2, flaggedAtReport: null }),
    ]);
    const text = await whatIf(f.db.appUrl, ['--rules', file, '--since', '2026-11-01']);
    expect(text.stdout).toContain(
      'numbers it would have caught before the current rules: 1, 1 reports earlier in all (median 1 reports, 1.0 h)',
    );
    expect(text.stdout).toContain(`  ${nextSim}  campaign ${campaign!.id} at report 2 (${at(2)}, text `);
    expect(text.stdout).toContain('numbers only it would have caught: 2');
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
