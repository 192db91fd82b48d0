import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToken, startApi } from './support/api';
import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce } from './support/kafka';
import { scrape, scrapeWhenListening, sumOf } from './support/metrics';
import { rawSmsMessage } from './support/raw-sms';
import { freePort } from './support/tcp-proxy';

const PROMETHEUS = '/usr/bin/prometheus';
const SPAMMER = '0987000801';

/** A real Prometheus (Debian's) scraping the apps every second, with its data in a temporary directory. */
async function startPrometheus(targets: Record<string, number>) {
  if (!existsSync(PROMETHEUS))
    throw new Error(
      `${PROMETHEUS} is missing: bash scripts/check-prometheus.sh installs Debian's prometheus package`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'am-prometheus-'));
  const port = await freePort();
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: Object.entries(targets).map(([job, target]) => ({
      job_name: job,
      static_configs: [{ targets: [`127.0.0.1:${target}`] }],
    })),
  };
  // JSON is YAML, so the config needs no YAML library.
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const query = async (promql: string): Promise<number | null> => {
    try {
      const response = await fetch(
        `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`,
      );
      const body = (await response.json()) as { data?: { result?: { value: [number, string] }[] } };
      const result = body.data?.result ?? [];
      return result.length ? Number(result[0].value[1]) : null;
    } catch {
      return null;
    }
  };
  return {
    query,
    get output() {
      return output;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('metrics after real traffic', () => {
  const harness = new Harness();
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('count what happened, by the right amounts, and a real Prometheus scrapes them', async () => {
    const f: IngestFixture = await harness.fixture('metrics');
    const ports = { ingest: await freePort(), aggregator: await freePort(), api: await freePort() };
    harness.start('ingest', { ...f.env, METRICS_PORT: String(ports.ingest) });
    harness.start('aggregator', { ...f.env, METRICS_PORT: String(ports.aggregator) });
    const api = await startApi(harness, f, { METRICS_PORT: String(ports.api) });
    const prometheus = await startPrometheus(ports);
    try {
      // Four reports of one spammer from four reporters, the last through 5656.
      const valid = [1, 2, 3, 4].map((i) =>
        rawSmsMessage({
          messageId: `m-${i}`,
          from: `091200000${i}`,
          to: i === 4 ? '5656' : '156',
          text: `V ${SPAMMER} goi lam phien`,
        }),
      );
      const rejected = [
        rawSmsMessage({ messageId: 'm-5', from: '0912000005', to: '156', text: 'xin chao' }),
        rawSmsMessage({ messageId: 'm-6', from: '0912000006', to: '5656', text: 'V 12345 goi lam phien' }),
      ];
      const broken = { key: 'x', value: '{"messageId": "m-7", "text": ' };
      // m-1 again: a redelivery, which must not be counted twice.
      await produce(f.kafka, f.topics.smsRaw, [...valid, ...rejected, broken, valid[0]]);

      const counted = await eventually(
        () => scrapeWhenListening(ports.aggregator),
        (s) => sumOf(s, 'abuse_monitor_reports_counted_total') >= 4,
      );
      const ingest = await scrapeWhenListening(ports.ingest);
      expect(sumOf(ingest, 'abuse_monitor_reports_received_total')).toBe(6);
      expect(
        sumOf(ingest, 'abuse_monitor_reports_received_total', { channel: 'sms', short_code: '156' }),
      ).toBe(4);
      expect(
        sumOf(ingest, 'abuse_monitor_reports_received_total', { channel: 'sms', short_code: '5656' }),
      ).toBe(2);
      expect(sumOf(ingest, 'abuse_monitor_reports_accepted_total', { carrier: 'viettel' })).toBe(4);
      expect(sumOf(ingest, 'abuse_monitor_reports_rejected_total')).toBe(2);
      // By reason, as stored: the metric and the database tell the same story.
      const reasons = await eventually(
        () =>
          f.db.query<{ reason: string; n: string }>(
            `SELECT reason, count(*) AS n FROM rejected_reports GROUP BY 1 ORDER BY 1`,
          ),
        (rows) => rows.reduce((total, row) => total + Number(row.n), 0) === 2,
      );
      expect(reasons.map((r) => r.reason)).toEqual(['invalid_number', 'no_keyword']);
      for (const { reason, n } of reasons)
        expect(sumOf(ingest, 'abuse_monitor_reports_rejected_total', { reason })).toBe(Number(n));
      expect(sumOf(ingest, 'abuse_monitor_deadletter_messages_total', { reason: 'invalid_json' })).toBe(1);
      expect(
        sumOf(ingest, 'abuse_monitor_batch_messages_count', { consumer: 'ingest' }),
      ).toBeGreaterThanOrEqual(1);
      expect(sumOf(ingest, 'abuse_monitor_batch_messages_sum', { consumer: 'ingest' })).toBe(8);
      expect(sumOf(ingest, 'process_resident_memory_bytes')).toBeGreaterThan(0);

      expect(sumOf(counted, 'abuse_monitor_reports_counted_total', { channel: 'sms' })).toBe(4);
      expect(sumOf(counted, 'abuse_monitor_report_latency_seconds_count', { stage: 'stored' })).toBe(4);
      expect(sumOf(counted, 'abuse_monitor_flag_changes_total', { change: 'opened', severity: 'low' })).toBe(
        1,
      );
      expect(sumOf(counted, 'abuse_monitor_report_latency_seconds_count', { stage: 'flagged' })).toBe(1);
      expect(
        sumOf(counted, 'abuse_monitor_db_transaction_duration_seconds_count', {
          operation: 'aggregate_batch',
        }),
      ).toBeGreaterThanOrEqual(1);

      const analyst = (await createToken(f.db.url, 'analyst-1', 'analyst')).secret;
      const before = await scrapeWhenListening(ports.api);
      expect(sumOf(before, 'abuse_monitor_flags', { status: 'open', severity: 'low' })).toBe(1);
      const list = await api.get('/api/v1/flags?status=open', analyst);
      expect(list.status).toBe(200);
      await api.get('/api/v1/flags', null);
      const flag = list.body.items[0];
      const acted = await api.post(`/api/v1/flags/${flag.id}/actions`, analyst, {
        action: 'warn',
        note: 'bon nguoi bao cao',
        version: flag.version,
      });
      expect(acted.status).toBe(200);
      const after = await eventually(
        () => scrape(ports.api),
        (s) => sumOf(s, 'abuse_monitor_flags', { status: 'open' }) === 0,
        15_000,
      );
      const requests = (labels: Record<string, string>) =>
        sumOf(after, 'abuse_monitor_http_requests_total', labels);
      expect(requests({ route: '/api/v1/flags', method: 'GET', status: '200' })).toBe(1);
      expect(requests({ route: '/api/v1/flags', method: 'GET', status: '401' })).toBe(1);
      expect(requests({ route: '/api/v1/flags/{id}/actions', method: 'POST', status: '200' })).toBe(1);
      expect(sumOf(after, 'abuse_monitor_flag_actions_total', { action: 'warn' })).toBe(1);
      expect(sumOf(after, 'abuse_monitor_flag_changes_total', { change: 'actioned', severity: 'low' })).toBe(
        1,
      );
      expect(sumOf(after, 'abuse_monitor_flag_time_to_action_seconds_count', { action: 'warn' })).toBe(1);
      expect(sumOf(after, 'abuse_monitor_flags', { status: 'open', severity: 'low' })).toBe(0);

      // The same figure through a real Prometheus, which scraped the apps during the run.
      const viaPrometheus = await eventually(
        () => prometheus.query('sum(abuse_monitor_reports_received_total)'),
        (v) => v === 6,
        30_000,
      );
      expect(viaPrometheus).toBe(6);
      // Every target answered a scrape (a slow scrape under load may miss one now and then).
      expect(
        await eventually(
          () => prometheus.query('sum(up)'),
          (v) => v === 3,
          15_000,
        ),
      ).toBe(3);
      expect(
        await eventually(
          () => prometheus.query('sum(abuse_monitor_flag_actions_total{action="warn"})'),
          (v) => v === 1,
          15_000,
        ),
      ).toBe(1);
    } finally {
      await prometheus.stop();
    }
  });
});
