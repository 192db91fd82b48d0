import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { commandLine, printable, printableLines, progress } from '@abuse-monitor/runtime';
import {
  DEFAULT_CAMPAIGN_RULES,
  isAllowlisted,
  runCampaignView,
  runWhatIf,
  validateCampaignRules,
  validateRuleSet,
} from '@abuse-monitor/domain';
import { dataSourceOptions, ReplayRepository } from '@abuse-monitor/persistence';
import { whatifEnvSchema } from './whatif.config';
import { formatWhatIf } from './whatif-report';

/**
 * Replays the stored reports received since DATE (until another, or now) through the current
 * rules and through the candidate rules in FILE (a JSON array of rules), and prints what each
 * would have flagged and how the outcome changes: a summary by default, every number on request.
 * Reads only; live flags are not touched. Numbers too little reported to reach any threshold are
 * counted but not replayed (decision 0060).
 */
const { parse, fail: failWithUsage } = commandLine({
  name: 'whatif',
  summary: 'replays stored reports through candidate rules and shows what they would flag',
  usage: ['--rules FILE --since YYYY-MM-DD [--until YYYY-MM-DD] [--list | --json]'],
  description: [
    'Replays the reports received since the date (until --until, or now) through the current',
    'rules and through the candidate rules, and prints what each would have flagged and how many',
    'flags the candidate would open, not open, raise or lower, with a few numbers of each;',
    'then the campaign view: how many numbers the next-SIM rule (reports matching an actioned',
    "campaign's texts) would have caught before the current rules flag them, and how many reports earlier.",
    'Reads only: live flags are not touched. On a terminal, shows its progress on stderr.',
  ],
  options: {
    rules: { type: 'string', value: 'FILE', description: 'the candidate rules: a JSON array of rules' },
    since: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'replay the reports received from this day on',
    },
    until: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'replay the reports received before this day (default: now)',
    },
    list: { type: 'boolean', default: false, description: 'list every number whose outcome differs' },
    json: {
      type: 'boolean',
      default: false,
      description: 'print one JSON object with every difference, for machines',
    },
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

function dateArgument(name: string, value: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) || Number.isNaN(Date.parse(value)))
    fail(`${name} must be a date like 2026-11-01`);
  return new Date(value);
}

function readArguments() {
  if (!values.rules) fail('--rules is required');
  if (!values.since) fail('--since is required');
  dateArgument('--since', values.since);
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
  const until = values.until === undefined ? new Date() : dateArgument('--until', values.until);
  const since = new Date(values.since);
  if (until.getTime() <= since.getTime()) fail('--until must come after --since');
  return { candidate: rules.rules, since, until, asJson: values.json === true, list: values.list === true };
}

async function main(): Promise<void> {
  const { candidate, since, until, asJson, list } = readArguments();
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
    const period = { from: since, to: until };
    const shown = progress('numbers replayed', null);
    const replayed: { reportedNumber: string; flaggedAt: number | null }[] = [];
    const run = await runWhatIf(
      {
        numbersIn: (leastWeighted) => replay.numbersIn(period, leastWeighted),
        timelines: (numbers) => replay.timelines(numbers, period),
      },
      { current, candidate },
      (number) => isAllowlisted(number, allowlist),
      {
        onBatch: (replayed, of) => {
          shown.setTotal(of);
          shown.advance(replayed - shown.done);
        },
        isProtectedOriginator: (number) => protectedNumbers.has(number),
        onReplayed: (reportedNumber, current) =>
          replayed.push({ reportedNumber, flaggedAt: current?.openedAt ?? null }),
      },
    );
    shown.finish();
    // Stored rules that no longer validate give way to the defaults, as the grouping job does.
    const storedCampaignRules = validateCampaignRules(await replay.campaignRules());
    const campaignRules = storedCampaignRules.ok ? storedCampaignRules.rules : DEFAULT_CAMPAIGN_RULES;
    // The next-SIM rule fires at fewer reports than any flag rule may: numbers the replay left out
    // for having too few are compared too (they can only be caught by it).
    const seen = new Set(replayed.map((n) => n.reportedNumber));
    const fewer = (await replay.numbersIn(period, campaignRules.nextSimMinReporters)).reachable
      .filter((n) => !seen.has(n.reportedNumber) && !isAllowlisted(n.reportedNumber, allowlist))
      .map((n) => ({ reportedNumber: n.reportedNumber, flaggedAt: null }));
    const campaignView = await runCampaignView(
      { texts: (numbers) => replay.texts(numbers, period) },
      [...replayed, ...fewer],
      await replay.actionedCampaigns(),
      campaignRules,
    );
    const outcome = {
      since: since.toISOString(),
      until: until.toISOString(),
      ...run,
      campaignView: { nextSimMinReporters: campaignRules.nextSimMinReporters, ...campaignView },
    };
    // Rule names and notes come from the database: no escape sequence of theirs reaches the terminal.
    process.stdout.write(
      asJson ? `${printable(JSON.stringify(outcome))}\n` : printableLines(formatWhatIf(outcome, { list })),
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
