/**
 * Two versions of the pipeline measured alike, run after run in turn, on one broker and one
 * PostgreSQL: what a change does, on a machine whose speed moves by tens of per cent in an hour.
 *
 *   npm run bench -- compare --base REV [--pairs 2] [-- PIPELINE ARGS]
 *
 * Checks REV out in a worktree of its own, installs it (`npm ci`: its own dependencies and
 * patches) and builds it; builds this checkout as it is, uncommitted changes included. Then runs
 * this checkout's pipeline bench `pairs` times on each, the order turned round every pair so that
 * a machine slowing through the session favours neither, the base's apps on the base's schema
 * (`--apps`). Prints each run's key figures side by side, as a markdown table, and leaves each
 * run's whole output in a directory it names. Arguments after `--` go to every run
 * (for example `-- --rate 5860 --seconds 20`). The worktree is removed at the end, also on failure.
 * Needs what the pipeline bench needs, and about eight minutes a pair with its defaults.
 */
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Runs a command to its end, its output shown; fails with what it was doing. */
function run(what: string, command: string, args: string[], options: SpawnSyncOptions = {}): void {
  say(`== ${what}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0)
    throw new Error(`${what}: ${command} ${args.join(' ')} exited with ${result.status}`);
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
function measure(label: string, appsRoot: string, log: string, json: string): Measured {
  say(`== ${label}: npm run bench -- pipeline ${positionals.join(' ')} (output in ${log})`);
  const result = spawnSync(
    'npx',
    [
      'ts-node',
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
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(log, `${result.stdout}${result.stderr}`);
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status}): see ${log}`);
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

function main(): void {
  const base = gitOutput(['rev-parse', '--short', `${values.base}^{commit}`]);
  const head = gitOutput(['rev-parse', '--short', 'HEAD']);
  const dirty = gitOutput(['status', '--porcelain', '--untracked-files=no']) !== '';
  const headLabel = `${head}${dirty ? '+' : ''}`;
  const work = mkdtempSync(join(tmpdir(), 'am-compare-'));
  const worktree = join(work, 'base');
  try {
    run(`check out ${base}`, 'git', ['worktree', 'add', '--detach', worktree, base], { cwd: ROOT });
    run(`install ${base}`, 'npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: worktree });
    run(`build ${base}`, 'npm', ['run', '-s', 'build'], { cwd: worktree });
    run(`build ${headLabel} (this checkout)`, 'npm', ['run', '-s', 'build'], { cwd: ROOT });
    const sides = [
      { name: base, root: worktree },
      { name: headLabel, root: ROOT },
    ];
    const runs: Measured[] = [];
    for (let pair = 1; pair <= PAIRS; pair += 1) {
      const order = pair % 2 === 1 ? sides : [...sides].reverse();
      for (const side of order) {
        const file = join(work, `${side.name}-${pair}`);
        runs.push(measure(`${side.name}, ${pair}`, side.root, `${file}.log`, `${file}.json`));
      }
    }
    say('');
    say(
      `base ${base} against ${headLabel}${dirty ? ' (with uncommitted changes)' : ''}, ${PAIRS} pair${PAIRS === 1 ? '' : 's'}:`,
    );
    say(sideBySide(runs));
    say(`each run's output: ${work}`);
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: ROOT, stdio: 'inherit' });
    rmSync(worktree, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error: unknown) {
  process.stderr.write(`compare failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
