import { networkInterfaces } from 'node:os';
import { startApi } from './support/api';
import { eventually } from './support/app-process';
import { Harness } from './support/ingest-fixture';
import { produce } from './support/kafka';
import { parseExposition, scrapeWhenListening, sumOf } from './support/metrics';
import { rawSmsMessage } from './support/raw-sms';
import { freePort } from './support/tcp-proxy';

/** Reported numbers and reporters of the traffic, by their national significant digits. */
const REPORTED = ['987000961', '987000962'];
const REPORTERS = ['912000961', '912000962', '912000963'];
/** A `to` that is a phone number: a label taking it as it comes would keep it. */
const HOSTILE_TO = '0912000969';

async function metricsText(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  return response.text();
}

/** This machine's addresses other than loopback: a metrics port must not answer on them. */
function outsideAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
    .map((i) => (i as { address: string }).address);
}

async function answers(host: string, port: number): Promise<boolean> {
  try {
    await fetch(`http://${host}:${port}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

describe('personal data in metrics', () => {
  const harness = new Harness();
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('holds no phone number on the /metrics of any app after traffic, and listens on loopback only', async () => {
    const f = await harness.fixture('pii-metrics');
    const ports = {
      ingest: await freePort(),
      aggregator: await freePort(),
      api: await freePort(),
      scheduler: await freePort(),
    };
    const apps = {
      ingest: harness.start('ingest', { ...f.env, METRICS_PORT: String(ports.ingest) }),
      aggregator: harness.start('aggregator', { ...f.env, METRICS_PORT: String(ports.aggregator) }),
      scheduler: harness.start('scheduler', { ...f.env, METRICS_PORT: String(ports.scheduler) }),
    };
    const api = await startApi(harness, f, { METRICS_PORT: String(ports.api) });
    // Every number in another notation, so that no form of it reaches a label.
    const messages = [
      ...REPORTERS.map((reporter, i) =>
        rawSmsMessage({ from: `0${reporter}`, to: '156', text: `V 0${REPORTED[0]} goi lam phien ${i}` }),
      ),
      rawSmsMessage({ from: `+84${REPORTERS[0]}`, to: '5656', text: `V (+84) ${REPORTED[1]} lua dao` }),
      rawSmsMessage({ from: `84${REPORTERS[1]}`, to: HOSTILE_TO, text: `V 0${REPORTED[1]} quang cao` }),
    ];
    await produce(f.kafka, f.topics.smsRaw, messages);
    await eventually(
      () => scrapeWhenListening(ports.aggregator),
      (samples) => sumOf(samples, 'abuse_monitor_reports_counted_total') >= 4,
    );
    // The API reads the most reported numbers from the database when scraped.
    const apiSamples = await eventually(
      () => scrapeWhenListening(ports.api),
      (samples) => sumOf(samples, 'abuse_monitor_top_reported_distinct_reporters_24h', { rank: '1' }) === 3,
      20_000,
    );
    expect(sumOf(apiSamples, 'abuse_monitor_top_reported_distinct_reporters_24h', { rank: '1' })).toBe(3);
    const ingest = await scrapeWhenListening(ports.ingest);
    expect(sumOf(ingest, 'abuse_monitor_reports_received_total', { short_code: 'other' })).toBe(1);
    await scrapeWhenListening(ports.scheduler);

    for (const [app, port] of Object.entries(ports)) {
      const text = await metricsText(port);
      expect(parseExposition(text).length).toBeGreaterThan(0);
      for (const digits of [...REPORTED, ...REPORTERS, HOSTILE_TO.slice(1)])
        expect({ app, leaked: text.includes(digits) ? digits : null }).toEqual({ app, leaked: null });
      for (const address of outsideAddresses())
        expect({ app, address, answers: await answers(address, port) }).toEqual({
          app,
          address,
          answers: false,
        });
    }
    // The API also answers /metrics on its own port, without a token.
    const onApiPort = await fetch(`${api.baseUrl}/metrics`);
    expect(onApiPort.status).toBe(200);
    const apiPortText = await onApiPort.text();
    expect(parseExposition(apiPortText).length).toBeGreaterThan(0);
    for (const digits of [...REPORTED, ...REPORTERS, HOSTILE_TO.slice(1)])
      expect({ leaked: apiPortText.includes(digits) ? digits : null }).toEqual({ leaked: null });
    expect(apps.ingest.logs).toMatch(/metrics on http:\/\/127\.0\.0\.1:/);
  });
});
