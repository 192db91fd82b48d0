import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULES } from '@abuse-monitor/domain';
import { CliRun, runCaptured, runCli } from './support/cli';
import { seedReports } from './support/seed';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * The operator's tools, built (dist/), as the image runs them (`abuse-monitor <tool>`) and as a
 * checkout does (`npm run -s <tool>`): each answers --help without configuration, broker or
 * database, refuses an unknown option with exit 2, and the dispatcher knows every one of them.
 */

const ROOT = join(__dirname, '..');
const DISPATCHER = join(ROOT, 'bin', 'abuse-monitor.js');
/** The apps that run as services and take no arguments: every other app is a tool. */
const SERVICES = ['aggregator', 'api', 'ingest'];

/** Values no tool could start with: --help must not read them. */
const UNUSABLE_CONFIG = {
  DATABASE_URL: 'not a url',
  KAFKA_BROKERS: 'nowhere',
  RETENTION_PERIOD: 'never',
  REPORT_MAX_LENGTH: '-1',
};

const run = runCaptured;

const dispatch = (args: readonly string[], env: Record<string, string> = {}) =>
  run(process.execPath, [DISPATCHER, ...args], env);

/** The tools the dispatcher lists in its help. */
async function dispatcherTools(): Promise<string[]> {
  const { stdout } = await dispatch(['--help']);
  const listed = stdout.split('\ntools:\n')[1]?.split('\n\n')[0] ?? '';
  return listed.split('\n').map((line) => line.trim().split(/\s+/)[0]);
}

const applications = Object.entries(
  JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')).projects as Record<string, { type: string }>,
)
  .filter(([, project]) => project.type === 'application')
  .map(([name]) => name)
  .sort();
const TOOLS = applications.filter((app) => !SERVICES.includes(app));
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<
  string,
  string
>;
/** The npm script that runs a tool from a checkout. */
const npmScript = (tool: string) =>
  Object.keys(scripts).find((name) => scripts[name] === `node scripts/run-app.js ${tool}`);

function expectUsage(result: CliRun, tool: string): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`^abuse-monitor ${tool}: .+\n\nusage: abuse-monitor ${tool}`));
  expect(result.stdout).toMatch(/\noptions:\n(.*\n)* {2}-h, --help +show this help and exit\n/);
  expect(result.stdout).toMatch(new RegExp(`\nexamples?:\n {2}.*abuse-monitor ${tool}`));
}

describe('abuse-monitor <tool> --help', () => {
  it('lists exactly the command-line apps: a new app is a tool here or a service in this test', async () => {
    expect(TOOLS).toEqual(['admin', 'deadletters', 'migrate', 'parse', 'scheduler', 'simulator', 'whatif']);
    expect((await dispatcherTools()).sort()).toEqual(TOOLS);
    // Every tool parses its arguments with the shared convention, which is what answers --help.
    for (const tool of TOOLS)
      expect(readFileSync(join(ROOT, 'apps', tool, 'src', 'main.ts'), 'utf8')).toContain('commandLine({');
  });

  it('answers --help with the tools, and an unknown or missing tool with exit 2 and the list', async () => {
    const help = await dispatch(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: abuse-monitor <tool> \[args\]\n/);
    for (const asked of [['nope'], []]) {
      const wrong = await dispatch(asked);
      expect(wrong.code).toBe(2);
      expect(wrong.stdout).toBe('');
      expect(wrong.stderr).toMatch(
        asked.length ? /^abuse-monitor: unknown tool "nope"\n/ : /^abuse-monitor: which tool\?\n/,
      );
      expect(wrong.stderr).toContain('\ntools:\n  admin ');
    }
  });

  it.each(TOOLS)('%s: --help and -h print its usage and exit 0, without any configuration', async (tool) => {
    const [viaDispatcher, viaRunApp, viaNpm] = await Promise.all([
      dispatch([tool, '--help'], UNUSABLE_CONFIG),
      runCli(tool, ['-h'], UNUSABLE_CONFIG),
      run('npm', ['run', '-s', npmScript(tool) ?? `no script runs ${tool}`, '--', '--help'], UNUSABLE_CONFIG),
    ]);
    expectUsage(viaDispatcher, tool);
    expectUsage(viaRunApp, tool);
    expectUsage(viaNpm, tool);
    expect(viaNpm.stdout).toContain(`(from a checkout: npm run -s ${npmScript(tool)} -- ARGS)`);
    expect(viaRunApp.stdout).toBe(viaDispatcher.stdout);
    expect(viaNpm.stdout).toBe(viaDispatcher.stdout);
  });

  it.each(TOOLS)('%s: an unknown option exits 2 with the reason and a pointer to --help', async (tool) => {
    const result = await dispatch([tool, '--no-such-option'], UNUSABLE_CONFIG);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^${tool}: Unknown option '--no-such-option'`));
    expect(result.stderr).toMatch(new RegExp(`\nsee abuse-monitor ${tool} --help\n$`));
    expect(result.stderr).not.toContain('Invalid configuration');
  });
});

describe('progress of a long run', () => {
  let db: TestDatabase;
  let rules: string;
  beforeAll(async () => {
    db = await createTestDatabase('cli_progress');
    // Two numbers reported by 3 people each (the lowest threshold) are replayed; the third is not.
    const reported = ['+84912000101', '+84912000101', '+84912000101', '+84912000102', '+84912000102'];
    await seedReports(
      db,
      [...reported, '+84912000102', '+84912000103'].map((reportedNumber, i) => ({
        reportedNumber,
        reporter: `+8498700010${i}`,
        receivedAt: new Date('2026-11-20T03:00:00Z'),
      })),
    );
    rules = join(tmpdir(), `progress-rules-${process.pid}.json`);
    writeFileSync(rules, JSON.stringify(DEFAULT_RULES));
  });
  afterAll(() => db.drop());

  const args = () => ['whatif', '--rules', rules, '--since', '2026-11-01', '--until', '2026-12-01', '--json'];

  it('is shown on a terminal: one line updated in place, ended before the result', () => {
    // script(1) runs the tool on a pseudo-terminal and copies what it shows to its stdout.
    const command = [process.execPath, DISPATCHER, ...args()].map((a) => `'${a}'`).join(' ');
    const shown = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm', DATABASE_URL: db.url },
      encoding: 'utf8',
    });
    expect(shown.status).toBe(0);
    // The two numbers that can reach a threshold, each through the current and the candidate rules.
    // eslint-disable-next-line no-control-regex -- the line ends by clearing what a longer one left
    expect(shown.stdout).toMatch(/\rnumbers replayed: 2\/2 \(100%\), [\d.]+\/s, in \d+s\x1b\[K\r?\n/);
    expect(JSON.parse(shown.stdout.slice(shown.stdout.indexOf('{')))).toMatchObject({
      reports: 7,
      numbers: 3,
      numbersReplayed: 2,
    });
  });

  it('is not shown in a pipe, nor under CI on a terminal', async () => {
    const piped = await dispatch(args(), { DATABASE_URL: db.url });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    const command = [process.execPath, DISPATCHER, ...args()].map((a) => `'${a}'`).join(' ');
    const underCi = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm', CI: 'true', DATABASE_URL: db.url },
      encoding: 'utf8',
    });
    expect(underCi.status).toBe(0);
    expect(underCi.stdout).not.toContain('numbers replayed');
    expect(underCi.stdout.trim()).toBe(piped.stdout.trim());
  });
});
