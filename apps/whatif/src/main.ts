import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { commandLine, printable, printableLines, progress } from '@abuse-monitor/runtime';
import { compareReplays, isAllowlisted, replayReports, validateRuleSet } from '@abuse-monitor/domain';
import { dataSourceOptions, ReplayRepository } from '@abuse-monitor/persistence';
import { whatifEnvSchema } from './whatif.config';
import { formatWhatIf } from './whatif-report';

/**
 * Replays the stored reports received since DATE through the current rules and through the
 * candidate rules in FILE (a JSON array of rules), and prints what each would have flagged and
 * which numbers differ. Reads only; live flags are not touched.
 */
const { parse, fail: failWithUsage } = commandLine({
  name: 'whatif',
  summary: 'replays stored reports through candidate rules and shows what they would flag',
  usage: ['--rules FILE --since YYYY-MM-DD [--json]'],
  description: [
    'Replays the reports received since the date through the current rules and through the',
    'candidate rules, and prints what each would have flagged and which numbers differ.',
    'Reads only: live flags are not touched. On a terminal, shows its progress on stderr.',
  ],
  options: {
    rules: { type: 'string', value: 'FILE', description: 'the candidate rules: a JSON array of rules' },
    since: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'replay the reports received from this day on',
    },
    json: { type: 'boolean', default: false, description: 'print one JSON object, for machines' },
  },
  environment: {
    names: Object.keys(whatifEnvSchema.shape),
    notes: { DATABASE_URL: 'PostgreSQL, read only' },
  },
  examples: ['abuse-monitor whatif --rules candidate-rules.json --since 2026-11-01'],
});
// Annotated, so that TypeScript knows nothing after a failure runs.
const fail: (message: string) => never = failWithUsage;
const { values } = parse();
const config = loadConfigOrExit(whatifEnvSchema);

function readArguments() {
  if (!values.rules) fail('--rules is required');
  if (
    !values.since ||
    !/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(values.since) ||
    Number.isNaN(Date.parse(values.since))
  ) {
    fail('--since must be a date like 2026-11-01');
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(values.rules, 'utf8'));
  } catch (error) {
    fail(`cannot read rules from ${values.rules}: ${(error as Error).message}`);
  }
  const rules = validateRuleSet(json);
  if (!rules.ok)
    fail(
      `invalid rules in ${values.rules}: ${rules.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    );
  return { candidate: rules.rules, since: new Date(values.since), asJson: values.json === true };
}

async function main(): Promise<void> {
  const { candidate, since, asJson } = readArguments();
  const dataSource = new DataSource({
    ...dataSourceOptions({ url: config.DATABASE_URL, applicationName: 'abuse-monitor-whatif', poolSize: 1 }),
    logging: ['error'],
  });
  await dataSource.initialize();
  try {
    const replay = new ReplayRepository(dataSource);
    const [current, allowlist, protectedNumbers] = [
      await replay.rules(),
      await replay.allowlist(),
      await replay.protectedNumbers(),
    ];
    const { reports, anonymised } = await replay.reportsSince(since);
    const allowlisted = (number: string) => isAllowlisted(number, allowlist);
    const numbers = new Set(reports.map((r) => r.reportedNumber)).size;
    // Each number is replayed twice: through the current rules, then the candidate ones.
    const shown = progress('numbers replayed', 2 * numbers);
    const isProtected = (number: string) => protectedNumbers.has(number);
    const before = replayReports(reports, current, allowlisted, () => shown.advance(), isProtected);
    const after = replayReports(reports, candidate, allowlisted, () => shown.advance(), isProtected);
    shown.finish();
    const outcome = {
      since: since.toISOString(),
      reports: reports.length,
      numbers,
      anonymisedReports: anonymised,
      current: before.totals,
      candidate: after.totals,
      differences: compareReplays(before, after),
    };
    // Rule names and notes come from the database: no escape sequence of theirs reaches the terminal.
    process.stdout.write(
      asJson ? `${printable(JSON.stringify(outcome))}\n` : printableLines(formatWhatIf(outcome)),
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `whatif failed: ${printable(error instanceof Error ? error.message : String(error))}\n`,
  );
  process.exit(1);
});
