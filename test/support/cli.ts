import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { assertAppRole } from './postgres-urls';

const ROOT = join(__dirname, '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a compiled command-line app as `npm run -s <app> -- args` does, with only PATH and `env` set. */
export function runCli(app: string, args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  assertAppRole(env);
  return runCaptured(process.execPath, [join(ROOT, 'scripts', 'run-app.js'), app, ...args], env);
}

/** Runs `command` from the repository's root with only PATH and `env` set, and keeps its output. */
export function runCaptured(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
