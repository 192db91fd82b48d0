import { METRICS, seriesNames } from './metric-catalog';
import { Metrics } from './metrics';
import { MetricsServer } from './metrics-server';

describe('the metric catalogue', () => {
  const definitions = Object.values(METRICS);

  it('names metrics by Prometheus conventions', () => {
    for (const d of definitions) {
      expect(d.name).toMatch(/^abuse_monitor_[a-z0-9_]+$/);
      if (d.type === 'counter') expect(d.name).toMatch(/_total$/);
      else expect(d.name).not.toMatch(/_total$/);
      if (d.type === 'histogram') expect(d.name).toMatch(/_(seconds|messages)$/);
    }
    expect(new Set(definitions.map((d) => d.name)).size).toBe(definitions.length);
  });

  it('never labels by a reporter (no label could hold a reporter number)', () => {
    for (const d of definitions) expect(d.labelNames).not.toContain('reporter');
  });

  it('gives histograms their three series', () => {
    expect(seriesNames(METRICS.batchDuration)).toEqual([
      'abuse_monitor_batch_duration_seconds_bucket',
      'abuse_monitor_batch_duration_seconds_sum',
      'abuse_monitor_batch_duration_seconds_count',
    ]);
    expect(seriesNames(METRICS.reportsReceived)).toEqual(['abuse_monitor_reports_received_total']);
  });
});

describe('Metrics', () => {
  it('exports the whole catalogue and the default process metrics, labelled with the app', async () => {
    const metrics = new Metrics('aggregator');
    metrics.get('reportsCounted').inc({ channel: 'sms' }, 3);
    const text = await metrics.exposition();
    for (const d of Object.values(METRICS)) expect(text).toContain(`# TYPE ${d.name} ${d.type}`);
    expect(text).toContain('abuse_monitor_reports_counted_total{channel="sms",app="aggregator"} 3');
    expect(text).toMatch(/^process_cpu_seconds_total\{app="aggregator"\} /m);
  });

  it('times work into a histogram even when it throws', async () => {
    const metrics = new Metrics('api');
    await expect(
      metrics.time('dbTransactionDuration', { operation: 'x' }, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await metrics.exposition()).toContain(
      'abuse_monitor_db_transaction_duration_seconds_count{app="api",operation="x"} 1',
    );
  });

  it('refreshes gauges read from elsewhere before each scrape', async () => {
    const metrics = new Metrics('api');
    let pending = 0;
    metrics.beforeScrape(async () => {
      pending += 1;
      metrics.get('outboxPending').set(pending);
    });
    await metrics.exposition();
    expect(await metrics.exposition()).toContain('abuse_monitor_outbox_pending_messages{app="api"} 2');
  });

  it('serves /metrics over HTTP on its own port, and nothing else', async () => {
    const metrics = new Metrics('ingest');
    const server = new MetricsServer(metrics, 0, '127.0.0.1');
    const port = await server.start();
    try {
      const ok = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await ok.text()).toContain('abuse_monitor_app_info{version="0.1.0",app="ingest"} 1');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it('serves /health/live without asking anything, and /health/ready as JSON with 200 or 503', async () => {
    let ready = true;
    let asked = 0;
    const health = {
      ready: async () => {
        asked += 1;
        return ready
          ? { status: 'ready' as const, checks: { broker: { ok: true, detail: '1 broker(s)' } } }
          : { status: 'not_ready' as const, checks: { broker: { ok: false, detail: 'broker unreachable' } } };
      },
    };
    const server = new MetricsServer(new Metrics('ingest'), 0, '127.0.0.1', health);
    const port = await server.start();
    try {
      const live = await fetch(`http://127.0.0.1:${port}/health/live`);
      expect([live.status, await live.json(), asked]).toEqual([200, { status: 'ok' }, 0]);
      const up = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(up.headers.get('content-type')).toBe('application/json');
      expect([up.status, await up.json()]).toEqual([
        200,
        { status: 'ready', checks: { broker: { ok: true, detail: '1 broker(s)' } } },
      ]);
      ready = false;
      const down = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect([down.status, await down.json()]).toEqual([
        503,
        { status: 'not_ready', checks: { broker: { ok: false, detail: 'broker unreachable' } } },
      ]);
    } finally {
      await server.stop();
    }
  });
});
