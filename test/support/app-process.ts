import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { assertAppRole } from './postgres-urls';

const ROOT = join(__dirname, '..', '..');

export function compiledEntry(app: string): string {
  return join(ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}

/** One of our compiled apps running as a real process, with its output kept for assertions. */
export class AppProcess {
  private readonly child: ChildProcess;
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(app: string, env: Record<string, string>) {
    const entry = compiledEntry(app);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
    assertAppRole(env);
    this.child = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'debug', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kept = keptLog(app, this.child.pid);
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
      kept?.write(chunk);
    };
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get logs(): string {
    return this.output;
  }

  /** For a bench to read the process's memory and CPU from /proc. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  async waitForLog(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${pattern} in:\n${this.output.slice(-4000)}`);
      if (this.child.exitCode !== null)
        throw new Error(`process exited before ${pattern}:\n${this.output.slice(-4000)}`);
      await sleep(100);
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 40_000) {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * With TEST_APP_LOG_DIR set, every app's output is also written to a file there, so a run that
 * failed once in many (the fault test, repeated) can be read afterwards.
 */
function keptLog(app: string, pid: number | undefined) {
  const dir = process.env.TEST_APP_LOG_DIR;
  if (!dir) return null;
  mkdirSync(dir, { recursive: true });
  return createWriteStream(join(dir, `${new Date().toISOString()}-${app}-${pid ?? 'nopid'}.log`));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `accept` holds or the time is up, and returns the last value read. */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await sleep(250);
    value = await read();
  }
  return value;
}
