/**
 * Paging reaches someone: a real Prometheus fires alerts at once, a real Alertmanager routes them
 * with ops/alertmanager/alertmanager.yml as shipped (receivers pointed at this test's port, waits
 * shortened to a few seconds), and the example receiver (ops/alertmanager/webhook-receiver.js) logs what
 * arrives. Debian's prometheus and prometheus-alertmanager packages provide the servers
 * (bash scripts/check-prometheus.sh installs them).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { eventually, sleep } from './support/app-process';
import { freePort } from './support/tcp-proxy';

const ROOT = join(__dirname, '..');
const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const ALERTMANAGER_CONFIG = join(ROOT, 'ops/alertmanager/alertmanager.yml');
const RECEIVER = join(ROOT, 'ops/alertmanager/webhook-receiver.js');

interface Started {
  readonly child: ChildProcess;
  output(): string;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Started {
  if (!existsSync(command))
    throw new Error(`${command} is missing: bash scripts/check-prometheus.sh installs it from Debian`);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

async function stop(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null || started.child.signalCode !== null) return;
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGTERM');
  await exited;
}

async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

interface Logged {
  route: string;
  status: string;
  alertname: string;
  [label: string]: string;
}

/** The receiver's log lines: one JSON object per alert that arrived. */
function received(receiver: Started): Logged[] {
  return receiver
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Logged);
}

type Route = { routes?: Route[]; group_wait?: string; group_interval?: string };

/**
 * The shipped config with the receivers on this test's port and the waits cut to seconds. The
 * group wait stays longer than Prometheus's resend delay, so an inhibiting alert evaluated a
 * resend after its target still arrives before the target's group is sent (as with 10 s shipped).
 */
function alertmanagerConfig(receiverPort: number): string {
  const config = parse(readFileSync(ALERTMANAGER_CONFIG, 'utf8')) as {
    route: Route;
    receivers: { name: string; webhook_configs?: { url: string }[] }[];
  };
  const shorten = (route: Route): void => {
    route.group_wait = '4s';
    route.group_interval = '1s';
    for (const child of route.routes ?? []) shorten(child);
  };
  shorten(config.route);
  for (const receiver of config.receivers)
    for (const webhook of receiver.webhook_configs ?? []) {
      const url = new URL(webhook.url);
      if (url.host !== 'webhook-receiver:9095') throw new Error(`unexpected receiver url ${webhook.url}`);
      url.host = `127.0.0.1:${receiverPort}`;
      webhook.url = url.toString();
    }
  return JSON.stringify(config);
}

// Alerts named as in ops/prometheus/alerts.yml, firing at once. The scheduler being down inhibits
// the job alerts (alertmanager.yml), so JobStale must reach Alertmanager and stop there.
const TEST_RULES = {
  groups: [
    {
      name: 'paging-test',
      interval: '1s',
      rules: [
        {
          alert: 'AbuseMonitorAppDown',
          expr: 'vector(1)',
          labels: { severity: 'page', job: 'scheduler', instance: 'scheduler:9104' },
          annotations: { summary: 'scheduler (scheduler:9104) cannot be scraped (test)' },
        },
        {
          alert: 'AbuseMonitorJobStale',
          expr: 'vector(1)',
          labels: { severity: 'page', scheduled_job: 'sla-escalation', schedule: 'minutes' },
        },
        {
          alert: 'AbuseMonitorRejectionRatioHigh',
          expr: 'vector(1)',
          labels: { severity: 'ticket', channel: 'sms' },
        },
      ],
    },
  ],
};

describe('alerts reach the on-call receiver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-alerting-'));
  let receiver: Started | undefined;
  let alertmanager: Started | undefined;
  let prometheus: Started | undefined;
  let receiverPort = 0;
  let alertmanagerPort = 0;

  beforeAll(async () => {
    receiverPort = await freePort();
    receiver = start(process.execPath, [RECEIVER], { WEBHOOK_RECEIVER_PORT: String(receiverPort) });
    expect(await eventually(() => httpOk(`http://127.0.0.1:${receiverPort}/health`), Boolean, 15_000)).toBe(
      true,
    );
  });

  afterAll(async () => {
    await stop(prometheus);
    await stop(alertmanager);
    await stop(receiver);
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages through Prometheus and Alertmanager, routes tickets apart, and inhibits consequences', async () => {
    alertmanagerPort = await freePort();
    writeFileSync(join(dir, 'alertmanager.yml'), alertmanagerConfig(receiverPort));
    alertmanager = start(ALERTMANAGER, [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'alertmanager')}`,
      `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
      // No gossip: a single instance, and the default cluster port may be taken.
      '--cluster.listen-address=',
    ]);
    const ready = await eventually(
      () => httpOk(`http://127.0.0.1:${alertmanagerPort}/-/ready`),
      Boolean,
      30_000,
    );
    expect({ ready, output: ready ? '' : alertmanager.output() }).toEqual({ ready: true, output: '' });

    const prometheusPort = await freePort();
    // JSON is YAML, for both files.
    writeFileSync(join(dir, 'rules.yml'), JSON.stringify(TEST_RULES));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      JSON.stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: ['rules.yml'],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${alertmanagerPort}`] }] }] },
      }),
    );
    prometheus = start(PROMETHEUS, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prometheus')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      // Alerts evaluated before Alertmanager is discovered are dropped and sent again only after
      // this delay (1 minute by default). Each alert sent is valid for four times the delay. With
      // 1 s, one CI run on a busy machine paged the inhibited JobStale seconds after Alertmanager
      // had held it back: most likely AppDown, sent just before it, expired first while
      // Prometheus was held up. 3 s gives each alert 12 s.
      '--rules.alert.resend-delay=3s',
    ]);

    const on = (route: string, alertname: string) => (logged: Logged[]) =>
      logged.some((l) => l.route === route && l.alertname === alertname && l.status === 'firing');
    const rec = receiver as Started;
    const paged = await eventually(async () => received(rec), on('page', 'AbuseMonitorAppDown'), 60_000);
    expect({
      paged: paged.find((l) => l.alertname === 'AbuseMonitorAppDown'),
      output: on('page', 'AbuseMonitorAppDown')(paged)
        ? ''
        : `${prometheus.output()}\n${alertmanager.output()}`,
    }).toEqual({
      paged: expect.objectContaining({
        route: 'page',
        receiver: 'page',
        status: 'firing',
        severity: 'page',
        job: 'scheduler',
        instance: 'scheduler:9104',
        summary: 'scheduler (scheduler:9104) cannot be scraped (test)',
      }),
      output: '',
    });

    const ticketed = await eventually(
      async () => received(rec),
      on('ticket', 'AbuseMonitorRejectionRatioHigh'),
      30_000,
    );
    expect(ticketed.find((l) => l.alertname === 'AbuseMonitorRejectionRatioHigh')).toEqual(
      expect.objectContaining({ route: 'ticket', receiver: 'ticket', severity: 'ticket', channel: 'sms' }),
    );
    // Pages go to the pager only, tickets to the queue only.
    expect(
      received(rec)
        .filter((l) => l.route === 'page')
        .map((l) => l.severity),
    ).not.toContain('ticket');
    expect(
      received(rec)
        .filter((l) => l.route === 'ticket')
        .map((l) => l.severity),
    ).not.toContain('page');

    // JobStale reached Alertmanager, and Alertmanager holds it back while the scheduler is down.
    const inhibited = await eventually(
      async () => {
        const response = await fetch(`http://127.0.0.1:${alertmanagerPort}/api/v2/alerts`);
        const alerts = (await response.json()) as {
          labels: Record<string, string>;
          status: { state: string; inhibitedBy: string[] };
        }[];
        return alerts.find((a) => a.labels.alertname === 'AbuseMonitorJobStale');
      },
      (alert) => alert?.status.state === 'suppressed',
      15_000,
    );
    expect(inhibited?.status.state).toBe('suppressed');
    expect(inhibited?.status.inhibitedBy.length).toBe(1);
    // Several group intervals (1 s here) later, it still has not been sent.
    await sleep(4_000);
    expect(received(rec).filter((l) => l.alertname === 'AbuseMonitorJobStale')).toEqual([]);
  });

  it('logs only the routing labels and the summary, and turns away what is not a notification', async () => {
    const url = `http://127.0.0.1:${receiverPort}/page`;
    const before = received(receiver as Started).length;
    const garbage = await fetch(url, { method: 'POST', body: '{"alerts": [' });
    expect(garbage.status).toBe(400);
    const wrongShape = await fetch(url, { method: 'POST', body: JSON.stringify({ version: '4' }) });
    expect(wrongShape.status).toBe(400);
    const oversized = await fetch(url, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) }).catch(
      () => null,
    );
    expect(oversized === null || oversized.status === 413).toBe(true);

    const notification = {
      version: '4',
      receiver: 'page',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'SomethingWithANumber', severity: 'page', msisdn: '+84912345678' },
          annotations: { summary: 'a summary', description: 'reported by +84987654321' },
          startsAt: '2026-12-03T10:00:00Z',
        },
      ],
    };
    const ok = await fetch(url, { method: 'POST', body: JSON.stringify(notification) });
    expect(ok.status).toBe(200);
    const logged = await eventually(
      async () => received(receiver as Started),
      (l) => l.length > before,
      5_000,
    );
    expect(logged.slice(before)).toEqual([
      {
        at: expect.any(String),
        route: 'page',
        receiver: 'page',
        status: 'firing',
        alertname: 'SomethingWithANumber',
        severity: 'page',
        startsAt: '2026-12-03T10:00:00Z',
        summary: 'a summary',
      },
    ]);
    const output = (receiver as Started).output();
    expect(output).not.toContain('84912345678');
    expect(output).not.toContain('84987654321');
    expect(output).toContain('rejected a notification on /page: body is not JSON');
    // Still serving after the bad requests.
    expect(await httpOk(`http://127.0.0.1:${receiverPort}/health`)).toBe(true);
  });
});
