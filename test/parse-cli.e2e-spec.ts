import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli';

const ROOT = join(__dirname, '..');

function runParse(
  input: string,
  args: readonly string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-app.js'), 'parse', ...args], {
      cwd: ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('npm run -s parse', () => {
  it('answers every input line with one JSON line, in order', async () => {
    const input = [
      JSON.stringify({ text: 'V 0912345678 goi lam phien', from: '0987654321', to: '156' }),
      'this is not json',
      JSON.stringify({ text: 'LD (+84 90 123 4567)(gia danh cong an)', from: '0987654321', to: '5656' }),
      JSON.stringify({ text: 'DK DNC', from: '0987654321', to: '156' }),
      JSON.stringify({ text: 42, from: '0987654321', to: '156' }),
      '',
      JSON.stringify({ text: 'S 01662345678', from: '0987654321', to: '156', id: 'kept-out' }),
    ].join('\n');
    const { code, stdout, stderr } = await runParse(`${input}\n`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      {
        ok: true,
        kind: 'spam_call',
        reportedNumber: '+84912345678',
        numberType: 'mobile',
        carrier: 'vinaphone',
        category: 'unknown',
        content: 'goi lam phien',
      },
      { ok: false, reason: 'invalid_json' },
      {
        ok: true,
        kind: 'scam_call',
        reportedNumber: '+84901234567',
        numberType: 'mobile',
        carrier: 'mobifone',
        category: 'impersonation',
        content: 'gia danh cong an',
      },
      { ok: false, reason: 'not_a_report' },
      { ok: false, reason: 'invalid_fields' },
      { ok: false, reason: 'invalid_json' },
      {
        ok: true,
        kind: 'spam_sms',
        reportedNumber: '+84362345678',
        numberType: 'mobile',
        carrier: 'viettel',
        category: 'unknown',
        content: null,
      },
    ]);
  });

  it('keeps the order over many lines', async () => {
    const count = 20_000;
    const lines = Array.from({ length: count }, (_, i) =>
      i % 3 === 0
        ? 'x'
        : JSON.stringify({ text: `V 09${String(10_000_000 + i)} lan ${i}`, from: '0987654321', to: '156' }),
    );
    const { code, stdout } = await runParse(lines.join('\n'));
    expect(code).toBe(0);
    const results = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results).toHaveLength(count);
    results.forEach((result, i) => {
      if (i % 3 === 0) expect(result).toEqual({ ok: false, reason: 'invalid_json' });
      else expect(result.reportedNumber).toBe(`+849${String(10_000_000 + i)}`);
    });
  });

  const line = (text: string, from = '0987654321') => JSON.stringify({ text, from, to: '156' });
  const results = (stdout: string) =>
    stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));

  it('parses the texts given with --text, one line each, with the reporter given', async () => {
    const { code, stdout, stderr } = await runCli(
      'parse',
      ['--text', 'V 0912.345.678 goi lam phien', '--text', 'S 0987654321', '--from', '0987654321'],
      {},
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(results(stdout)).toEqual([
      expect.objectContaining({ ok: true, reportedNumber: '+84912345678', content: 'goi lam phien' }),
      { ok: false, reason: 'self_report' },
    ]);
    // Without a reporter, no report is a self-report.
    const anonymous = await runCli('parse', ['--text', 'S 0987654321'], {});
    expect(results(anonymous.stdout)).toEqual([expect.objectContaining({ ok: true, kind: 'spam_sms' })]);
  });

  it('reads the files named, in order, with - for stdin, instead of stdin alone', async () => {
    const first = join(tmpdir(), `parse-first-${process.pid}.jsonl`);
    const second = join(tmpdir(), `parse-second-${process.pid}.jsonl`);
    writeFileSync(first, `${line('V 0912345678')}\nnot json\n`);
    writeFileSync(second, `${line('S 0901234567')}\n`);
    const { code, stdout, stderr } = await runParse(`${line('LD 0936123456')}\n`, [second, '-', first]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(results(stdout).map((r) => r.reportedNumber ?? r.reason)).toEqual([
      '+84901234567',
      '+84936123456',
      '+84912345678',
      'invalid_json',
    ]);
  });

  it('says which file it cannot read, exit 1; texts and files together are a usage error, exit 2', async () => {
    const missing = join(tmpdir(), `parse-missing-${process.pid}.jsonl`);
    const unread = await runCli('parse', [missing], {});
    expect(unread.code).toBe(1);
    expect(unread.stderr).toBe(
      `parse: cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'\n`,
    );
    const both = await runCli('parse', ['--text', 'V 0912345678', missing], {});
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^parse: give texts \(--text\) or files, not both\n/);
    const stray = await runCli('parse', ['--from', '0987654321'], {});
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/^parse: --from goes with --text\n/);
  });
});
