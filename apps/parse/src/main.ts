import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { parseBulkLine } from '@abuse-monitor/domain';
import { commandLine, printable } from '@abuse-monitor/runtime';
import { parseEnvSchema } from './parse.config';

/**
 * The bulk parser: JSON lines {"text","from","to"} in (stdin, or the files named), one JSON result
 * per line out, in order; or the texts given with --text, one result each. Streams with
 * back-pressure, so a million lines take bounded memory.
 */
const { parse, fail } = commandLine({
  name: 'parse',
  summary: 'parses reports as intake does, to re-check exports or one message',
  usage: ['[FILE...]', '--text TEXT [--text TEXT...] [--from NUMBER]'],
  description: [
    'Reads JSON lines {"text","from","to"} from the files named, in order, or from stdin when none',
    '(- is stdin), and writes one JSON line per input line, in order: the report intake would',
    'make of it ({"ok":true,...}) or why it would reject it ({"ok":false,"reason":...}).',
    'With --text, parses the texts given instead, one line each.',
  ],
  arguments: { FILE: 'a file of JSON lines; - is stdin' },
  options: {
    text: {
      type: 'string',
      multiple: true,
      value: 'TEXT',
      description: 'a message text to parse (repeatable)',
    },
    from: {
      type: 'string',
      value: 'NUMBER',
      description: "--text: the reporter's number (a self-report is rejected)",
    },
  },
  environment: {
    names: Object.keys(parseEnvSchema.shape),
    notes: {
      REPORT_MAX_LENGTH: 'longer texts are rejected as too_long (default 480)',
    },
  },
  examples: [
    'abuse-monitor parse --text "V 0912.345.678 goi lam phien" --from 0987654321',
    'abuse-monitor parse export-2026-11-29.jsonl > checked.jsonl',
    'zcat export.jsonl.gz | abuse-monitor parse | grep -c \'"ok":false\'',
  ],
  allowPositionals: true,
});

const { values, positionals: files } = parse();
if (values.text !== undefined && files.length > 0) fail('give texts (--text) or files, not both');
if (values.text === undefined && values.from !== undefined) fail('--from goes with --text');
const config = loadConfigOrExit(parseEnvSchema);
// No protected numbers beyond the short codes: intake accepts reports about protected originators
// and flags them as probable spoofing (decision 0057).
const options = { maxLength: config.REPORT_MAX_LENGTH };

/** What is written: JSON escapes C0 controls but not C1 or bidi controls, which a terminal acts on. */
const result = (line: string) => `${printable(JSON.stringify(parseBulkLine(line, options)))}\n`;

class Output {
  private pending = '';

  async add(text: string): Promise<void> {
    this.pending += text;
    // Written in chunks: one write per line would cost more than parsing it.
    if (this.pending.length >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    if (text && !process.stdout.write(text)) await once(process.stdout, 'drain');
  }
}

function open(file: string): Readable {
  if (file === '-') return process.stdin;
  const stream = createReadStream(file);
  // Said with the file's name: the stream's own error names only a path and a code.
  stream.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`parse: cannot read ${printable(file)}: ${printable(error.message)}\n`);
    process.exit(1);
  });
  return stream;
}

async function main(): Promise<void> {
  const output = new Output();
  if (values.text !== undefined) {
    for (const text of values.text)
      // The same path as a bulk line; the parser reads no short code.
      await output.add(result(JSON.stringify({ text, from: values.from ?? '', to: '156' })));
  } else {
    for (const file of files.length > 0 ? files : ['-']) {
      for await (const line of createInterface({ input: open(file), crlfDelay: Infinity }))
        await output.add(result(line));
    }
  }
  await output.flush();
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // A closed pipe (| head) is the reader saying it has enough.
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main().catch((error: unknown) => {
  process.stderr.write(
    `parse failed: ${printable(error instanceof Error ? error.message : String(error))}\n`,
  );
  process.exit(1);
});
