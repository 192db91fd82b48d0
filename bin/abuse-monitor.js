#!/usr/bin/env node
// `abuse-monitor <tool> [args]`: the operator's tools by name, on the PATH of the image (Dockerfile)
// and of a checkout (`npx abuse-monitor`), instead of their long dist/ paths. Each tool parses its
// own arguments and answers its own --help.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

/** Every command-line app, with what it is for; test/cli-help.e2e-spec.ts checks it against apps/. */
const TOOLS = {
  admin: "issue, list and revoke the API's bearer tokens",
  deadletters: 'list the dead letters and send them back to their source topics',
  migrate: 'apply the pending database migrations',
  parse: 'parse reports as intake does (JSON lines, files or --text)',
  scheduler: 'run the scheduled jobs, or one job once',
  simulator: 'play the SMS gateway: simulated 156/5656 traffic',
  whatif: 'replay stored reports through candidate rules',
};

const USAGE = [
  'usage: abuse-monitor <tool> [args]',
  '       abuse-monitor <tool> --help    what the tool does, its options and environment',
  '',
  'tools:',
  ...Object.entries(TOOLS).map(([tool, summary]) => `  ${tool.padEnd(12)} ${summary}`),
  '',
  'example: abuse-monitor deadletters list --reason unstorable',
].join('\n');

const [tool, ...args] = process.argv.slice(2);
if (tool === '--help' || tool === '-h' || tool === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!Object.hasOwn(TOOLS, tool ?? '')) {
  process.stderr.write(
    `abuse-monitor: ${tool === undefined ? 'which tool?' : `unknown tool ${JSON.stringify(tool)}`}\n${USAGE}\n`,
  );
  process.exit(2);
}
const entry = join(__dirname, '..', 'dist', 'apps', tool, 'apps', tool, 'src', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write(`abuse-monitor: ${tool} is not built (no ${entry}): run npm run build\n`);
  process.exit(1);
}
// The tool sees its own arguments only, as if run directly.
process.argv.splice(2, process.argv.length - 2, ...args);
require(entry);
