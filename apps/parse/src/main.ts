import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { loadConfigOrExit, numberList, positiveInt } from '@abuse-monitor/config';
import { parseBulkLine } from '@abuse-monitor/domain';
import { printable } from '@abuse-monitor/runtime';

/**
 * npm run -s parse: JSON lines {"text","from","to"} on stdin, one JSON result per line on stdout,
 * in order. Streams with back-pressure, so a million lines take bounded memory.
 */
const config = loadConfigOrExit(
  z.object({
    REPORT_MAX_LENGTH: positiveInt('characters of a report text before it is rejected as too long').default(
      480,
    ),
    PROTECTED_NUMBERS: numberList.default([]),
  }),
);

async function main(): Promise<void> {
  const options = { maxLength: config.REPORT_MAX_LENGTH, protectedNumbers: config.PROTECTED_NUMBERS };
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let pending = '';
  for await (const line of lines) {
    // JSON escapes C0 controls but not C1 or bidi controls, which a terminal showing the output acts on.
    pending += `${printable(JSON.stringify(parseBulkLine(line, options)))}\n`;
    // Written in chunks: one write per line would cost more than parsing it.
    if (pending.length >= 64 * 1024) {
      if (!process.stdout.write(pending)) await once(process.stdout, 'drain');
      pending = '';
    }
  }
  if (pending && !process.stdout.write(pending)) await once(process.stdout, 'drain');
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
