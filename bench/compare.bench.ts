/**
 * Two versions of the pipeline measured alike, run after run in turn, on one broker and one
 * PostgreSQL: what a change does, on a machine whose speed moves by tens of per cent in an hour.
 *
 *   npm run bench -- compare --base REV [--pairs 2] [-- PIPELINE ARGS]
 *
 * Checks REV out in a worktree of its own, installs it (`npm ci`: its own dependencies and
 * patches) and builds it; builds this checkout as it is, uncommitted changes included (with its
 * node_modules as installed: after a change to patches/, `npm ci` first). Then runs
 * this checkout's pipeline bench `pairs` times on each, the order turned round every pair so that
 * a machine slowing through the session favours neither, the base's apps on the base's schema
 * (`--apps`). Prints each run's key figures side by side, as a markdown table, and leaves each
 * run's whole output in a directory it names. Arguments after `--` go to every run
 * (for example `-- --rate 5860 --seconds 20`). The worktree is removed at the end, also on failure
 * or an interrupt (which goes on to the run under way first).
 * Needs what the pipeline bench needs, and about eight minutes a pair with its defaults.
 */
import { ChildProcess, spawn, SpawnOptions, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: {
    base: { type: 'string' },
    pairs: { type: 'string', default: '2' },
  },
  allowPositionals: true,
});

const ROOT = join(__dirname, '..');
const PAIRS = Number(values.pairs);
if (!values.base) throw new Error('--base REV names the version to compare this checkout with');
if (!Number.isInteger(PAIRS) || PAIRS < 1) throw new Error(`--pairs must be a whole number above 0`);

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The command under way, to pass an interrupt on to; set when one came. */
let child: ChildProcess | null = null;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    interrupted = true;
    process.stderr.write(`${signal}: stopping the run under way, then removing the worktree...\n`);
    child?.kill(signal);
  });

/**
 * Runs a command to its end, its output shown (and kept in `log`, if given); fails with what it was
 * doing. An interrupt goes on to the command, whose own cleanup (the pipeline bench drops its
 * database and topics) runs before this one's.
 */
async function run(
  what: string,
  command: string,
  args: string[],
  options: SpawnOptions & { log?: string } = {},
) {
  if (interrupted) throw new Error('interrupted');
  say(`== ${what}`);
  const log = options.log === undefined ? null : createWriteStream(options.log);
  const status = await new Promise<number | null>((resolve, reject) => {
    // A group of its own: a terminal's Ctrl-C reaches this process alone, which passes it on once.
    child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        log?.write(chunk);
      });
    }
    child.on('error', reject);
    child.on('close', resolve);
  });
  child = null;
  await new Promise((resolve) => (log ? log.end(resolve) : resolve(undefined)));
  if (interrupted) throw new Error('interrupted');
  if (status !== 0) throw new Error(`${what}: ${command} ${args.join(' ')} exited with ${status}`);
}

function gitOutput(args: string[]): string {
  const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

interface Measured {
  label: string;
  figures: [string, string][];
}

/** One pipeline bench, this checkout's, on the apps built in `appsRoot`; its output kept in `log`. */
async function measure(label: string, appsRoot: string, log: string, json: string): Promise<Measured> {
  await run(
    `${label}: this checkout's pipeline bench on ${appsRoot}'s apps (output also in ${log})`,
    process.execPath,
    [
      // ts-node itself, not through npx, so that an interrupt reaches the bench.
      require.resolve('ts-node/dist/bin'),
      '--transpile-only',
      '-r',
      'tsconfig-paths/register',
      'bench/pipeline.bench.ts',
      ...positionals,
      '--apps',
      appsRoot,
      '--json',
      json,
    ],
    { cwd: ROOT, log },
  );
  const { figures } = JSON.parse(readFileSync(json, 'utf8')) as { figures: [string, string][] };
  return { label, figures };
}

/** The runs side by side: a row per figure, a column per run, as docs/benchmarks.md shows them. */
function sideBySide(runs: readonly Measured[]): string {
  const rows = runs[0].figures.map(([name], i) => [name, ...runs.map((r) => r.figures[i]?.[1] ?? '')]);
  const header = ['', ...runs.map((r) => r.label)];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (c === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const base = gitOutput(['rev-parse', '--short', `${values.base}^{commit}`]);
  const head = gitOutput(['rev-parse', '--short', 'HEAD']);
  // Untracked files count: the build compiles them.
  const dirty = gitOutput(['status', '--porcelain']) !== '';
  const work = mkdtempSync(join(tmpdir(), 'am-compare-'));
  const worktree = join(work, 'base');
  const sides = [
    { label: `base ${base}`, file: 'base', root: worktree },
    { label: `head ${head}${dirty ? '+' : ''}`, file: 'head', root: ROOT },
  ];
  try {
    await run(`check out ${base}`, 'git', ['worktree', 'add', '--detach', worktree, base], { cwd: ROOT });
    await run(`install ${base}`, 'npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: worktree,
    });
    await run(`build ${base}`, 'npm', ['run', '-s', 'build'], { cwd: worktree });
    await run(`build this checkout`, 'npm', ['run', '-s', 'build'], { cwd: ROOT });
    const runs: Measured[] = [];
    for (let pair = 1; pair <= PAIRS; pair += 1) {
      const order = pair % 2 === 1 ? sides : [...sides].reverse();
      for (const side of order) {
        const file = join(work, `${side.file}-${pair}`);
        runs.push(await measure(`${side.label}, ${pair}`, side.root, `${file}.log`, `${file}.json`));
      }
    }
    say('');
    say(
      `${sides[0].label} against ${sides[1].label}${dirty ? ' (this checkout, with its uncommitted changes)' : ''}, ` +
        `${PAIRS} pair${PAIRS === 1 ? '' : 's'}, pipeline bench ${positionals.join(' ') || 'with its defaults'}:`,
    );
    say(sideBySide(runs));
    say(`each run's output: ${work}`);
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: ROOT, stdio: 'inherit' });
    rmSync(worktree, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`compare failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(interrupted ? 130 : 1);
});
