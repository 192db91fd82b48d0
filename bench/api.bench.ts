/**
 * How fast the API answers its reads on a database of production size.
 *
 *   npm run bench -- api [--scale 1] [--requests 200] [--keep]
 *
 * Creates a database, migrates it with the migrations, seeds it in bulk with SQL (at scale 1: a
 * million reports, 100,000 reporters, 200,000 counted numbers, 120,000 flags of which 50,000
 * open, 200,000 audit entries), analyses it, starts the compiled API against it as the apps' role,
 * and sends each read endpoint `requests` requests one after another (after 10 not counted), then
 * prints p50/p99/max per endpoint. `--scale 0.1` makes a quick run. `--keep` leaves the database
 * for EXPLAIN (its name is printed). The API starts with the broker down; reads never need it.
 */
import { parseArgs } from 'node:util';
import { dropDatabase, ensureDatabaseExists } from '@abuse-monitor/persistence';
import { ApiClient } from '../test/support/api';
import { tokensForEveryRole } from '../test/support/api';
import { AppProcess } from '../test/support/app-process';
import { freePort } from '../test/support/tcp-proxy';
import { migrate, testDatabaseUrl, TEST_APP_POSTGRES_URL } from '../test/support/test-database';
import { AUDIT_ACTORS, datasetSize, seedDataset, seededNumber } from './support/api-dataset';
import { percentile } from './support/flag-latency';
import { createRandom } from './support/random';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    requests: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
  },
});
const SCALE = Number(values.scale);
const REQUESTS = Number(values.requests);
const WARM_UP = 10;
const DEEP_PAGE = 20;
const TARGET_MS = 100;

const size = datasetSize(SCALE);
const random = createRandom(18);
const pick = (n: number) => 1 + Math.floor(random() * n);
const flagId = () => pick(size.flags);
/** Numbers 1..flags have a flag; the rest only counters and reports. */
const reportedNumber = () => seededNumber(pick(size.numbers));
const day = () => new Date(Date.now() - pick(365) * 86_400_000).toISOString().slice(0, 10);

interface ReadEndpoint {
  name: string;
  path: () => string;
}

function endpoints(deepCursor: string): ReadEndpoint[] {
  const fixed = (path: string) => () => path;
  return [
    { name: 'flags: queue, default (severity)', path: fixed('/api/v1/flags') },
    {
      name: 'flags: console queue (open, in review)',
      path: fixed('/api/v1/flags?status=open,in_review&sort=severity&limit=50'),
    },
    { name: 'flags: open, severity order', path: fixed('/api/v1/flags?status=open') },
    {
      name: `flags: open, page ${DEEP_PAGE} (cursor)`,
      path: fixed(`/api/v1/flags?status=open&cursor=${deepCursor}`),
    },
    { name: 'flags: open high, severity order', path: fixed('/api/v1/flags?status=open&severity=high') },
    { name: 'flags: open, oldest first', path: fixed('/api/v1/flags?status=open&sort=oldest') },
    { name: 'flags: open, newest first', path: fixed('/api/v1/flags?status=open&sort=newest') },
    { name: 'flags: every status, newest first', path: fixed('/api/v1/flags?sort=newest') },
    { name: 'flags: overdue', path: fixed('/api/v1/flags?status=open,in_review&overdue=true') },
    { name: 'flags: one assignee', path: fixed('/api/v1/flags?status=in_review&assignee=analyst-3') },
    { name: 'flags: carrier filter', path: fixed('/api/v1/flags?status=open&carrier=mobifone') },
    { name: 'flags: opened in a week', path: () => `/api/v1/flags?status=open&openedSince=${weekAgo()}` },
    { name: 'flag detail', path: () => `/api/v1/flags/${flagId()}` },
    { name: 'subscriber lookup', path: () => `/api/v1/subscribers/${encodeURIComponent(reportedNumber())}` },
    { name: 'reporters: suspicious', path: fixed('/api/v1/reporters') },
    { name: 'reporters: cleared', path: fixed('/api/v1/reporters?standing=cleared') },
    { name: 'reporters: normal', path: fixed('/api/v1/reporters?standing=normal') },
    { name: 'rules', path: fixed('/api/v1/rules') },
    { name: 'rule detail', path: fixed('/api/v1/rules/distinct-10-24h') },
    { name: 'allowlist', path: fixed('/api/v1/allowlist') },
    { name: 'allowlist: a later page (cursor)', path: fixed(`/api/v1/allowlist?cursor=${allowlistCursor}`) },
    { name: 'audit: newest', path: fixed('/api/v1/audit') },
    { name: 'audit: one actor', path: () => `/api/v1/audit?actor=analyst-${pick(AUDIT_ACTORS) - 1}` },
    { name: 'audit: one flag', path: () => `/api/v1/audit?targetType=flag&targetId=${flagId()}` },
    { name: 'audit: one action', path: fixed('/api/v1/audit?action=flag.dismiss') },
    {
      name: 'audit: a day',
      path: () =>
        `/api/v1/audit?since=${weekAgo()}&until=${new Date(Date.parse(weekAgo()) + 86_400_000).toISOString()}`,
    },
    { name: 'daily summary', path: () => `/api/v1/summaries/daily?date=${day()}` },
    { name: 'held submissions', path: fixed('/api/v1/held-submissions') },
    { name: 'tokens', path: fixed('/api/v1/tokens') },
    { name: 'me', path: fixed('/api/v1/me') },
  ];
}

/** After the seed's 200th entry (they are numbers +8492..., in order). */
const allowlistCursor = Buffer.from(
  JSON.stringify({
    pattern: `+8492${String(Math.min(200, size.allowlist - 1)).padStart(7, '0')}`,
    kind: 'number',
  }),
).toString('base64url');

const WEEK_AGO = new Date(Date.now() - 7 * 86_400_000).toISOString();
function weekAgo(): string {
  return WEEK_AGO;
}

async function timed(api: ApiClient, path: string, token: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await api.get(path, token);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200)
    throw new Error(`GET ${path} answered ${response.status}: ${response.text.slice(0, 500)}`);
  return ms;
}

/** The cursor of page `page` of the open queue, walked from the first page. */
async function cursorOfPage(api: ApiClient, token: string, page: number): Promise<string> {
  let cursor = '';
  for (let i = 1; i < page; i++) {
    const response = await api.get(`/api/v1/flags?status=open${cursor ? `&cursor=${cursor}` : ''}`, token);
    if (!response.body.nextCursor) throw new Error(`the open queue has fewer than ${page} pages`);
    cursor = encodeURIComponent(response.body.nextCursor);
  }
  return cursor;
}

const ms = (n: number) => `${n.toFixed(1).padStart(7)} ms`;

async function main(): Promise<void> {
  const name = `am_bench_api_${Date.now()}`;
  const url = testDatabaseUrl(name);
  const log = (line: string) => console.log(line);
  await ensureDatabaseExists(url);
  let api: AppProcess | undefined;
  try {
    log(`database ${name}, scale ${SCALE}: migrating and seeding`);
    await migrate(url);
    await seedDataset(url, size, log);
    await analyse(url);
    const tokens = await tokensForEveryRole(url);
    const port = await freePort();
    api = new AppProcess('api', {
      DATABASE_URL: testDatabaseUrl(name, TEST_APP_POSTGRES_URL),
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      KAFKA_TOPIC_PREFIX: `bench-api-${Date.now()}.`,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'log',
      METRICS_PORT: '0',
    });
    const stopApi = api;
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => void stopApi.stop('SIGKILL').finally(() => process.exit(130)));
    await api.waitForLog(/listening on http/);
    const client = new ApiClient(`http://127.0.0.1:${port}`, api);
    const deepCursor = await cursorOfPage(client, tokens.admin, DEEP_PAGE);
    log(`\n${REQUESTS} requests per endpoint, one at a time (after ${WARM_UP} not counted)\n`);
    log(`${'endpoint'.padEnd(42)}       p50         p99         max`);
    const slow: string[] = [];
    for (const endpoint of endpoints(deepCursor)) {
      for (let i = 0; i < WARM_UP; i++) await timed(client, endpoint.path(), tokens.admin);
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) times.push(await timed(client, endpoint.path(), tokens.admin));
      times.sort((a, b) => a - b);
      const p99 = percentile(times, 0.99);
      if (p99 > TARGET_MS) slow.push(endpoint.name);
      log(
        `${endpoint.name.padEnd(42)} ${ms(percentile(times, 0.5))} ${ms(p99)} ${ms(times[times.length - 1])}`,
      );
    }
    log(slow.length ? `\np99 over ${TARGET_MS} ms: ${slow.join('; ')}` : `\nevery p99 under ${TARGET_MS} ms`);
  } finally {
    await api?.stop();
    if (values.keep) log(`kept database ${name} (drop it with: dropdb -h 127.0.0.1 -U postgres ${name})`);
    else await dropDatabase(url);
  }
}

/** A bulk load leaves no statistics until autovacuum comes by; the bench measures plans on current ones. */
async function analyse(url: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
