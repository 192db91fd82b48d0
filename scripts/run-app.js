#!/usr/bin/env node
// Runs a compiled app (building first if it was never built), passing stdio through untouched
// so that `npm run -s parse < in.jsonl > out.jsonl` is a clean pipe.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const app = process.argv[2];
const root = join(__dirname, '..');
const entry = join(root, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
if (!existsSync(entry)) {
  const built = spawnSync('bash', [join(root, 'scripts', 'build.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
// The app sees its own arguments only, as if run directly.
process.argv.splice(2, 1);
require(entry);
