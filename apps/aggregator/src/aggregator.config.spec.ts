import { loadConfig } from '@abuse-monitor/config';
import { aggregatorEnvSchema } from './aggregator.config';

describe('aggregator configuration', () => {
  it('bounds heap growth and keeps busy numbers in memory by default', () => {
    const config = loadConfig(aggregatorEnvSchema, {});
    expect(config.AGGREGATOR_HEAP_GROWING_PERCENT).toBe(75);
    expect(config.AGGREGATOR_RECENT_REPORTS).toBe(100_000);
    expect(loadConfig(aggregatorEnvSchema, { AGGREGATOR_HEAP_GROWING_PERCENT: '250' })).toMatchObject({
      AGGREGATOR_HEAP_GROWING_PERCENT: 250,
    });
  });

  it("takes 0 for V8's own growth, and refuses growth outside 10 to 1000 percent, naming the variable", () => {
    expect(loadConfig(aggregatorEnvSchema, { AGGREGATOR_HEAP_GROWING_PERCENT: '0' })).toMatchObject({
      AGGREGATOR_HEAP_GROWING_PERCENT: 0,
    });
    for (const given of ['5', '1001', '-5', '1.5', 'lots', '99999999999']) {
      expect(() => loadConfig(aggregatorEnvSchema, { AGGREGATOR_HEAP_GROWING_PERCENT: given })).toThrow(
        /AGGREGATOR_HEAP_GROWING_PERCENT: expected (a whole number of percent|0 \(V8's own growth\) or a percentage from 10 to 1000)/,
      );
    }
  });

  it('takes a session timeout the broker accepts and timer delays Node can keep, naming the variable', () => {
    expect(loadConfig(aggregatorEnvSchema, { KAFKA_SESSION_TIMEOUT_MS: '6000' })).toMatchObject({
      KAFKA_SESSION_TIMEOUT_MS: 6_000,
    });
    for (const given of ['3000', '5999', '1800001']) {
      expect(() => loadConfig(aggregatorEnvSchema, { KAFKA_SESSION_TIMEOUT_MS: given })).toThrow(
        /KAFKA_SESSION_TIMEOUT_MS: expected 6000 to 1800000 milliseconds/,
      );
    }
    expect(loadConfig(aggregatorEnvSchema, { OUTBOX_POLL_INTERVAL_MS: '2147483647' })).toMatchObject({
      OUTBOX_POLL_INTERVAL_MS: 2_147_483_647,
    });
    // Longer than a Node timer holds: it would fire every millisecond.
    for (const variable of [
      'OUTBOX_POLL_INTERVAL_MS',
      'COORDINATION_REVIEW_INTERVAL_MS',
      'COORDINATION_REASSESS_AFTER_MS',
    ]) {
      expect(() => loadConfig(aggregatorEnvSchema, { [variable]: '2147483648' })).toThrow(
        new RegExp(`${variable}: expected 1 to 2147483647 milliseconds`),
      );
      expect(() => loadConfig(aggregatorEnvSchema, { [variable]: '0' })).toThrow(new RegExp(variable));
    }
  });

  it('fetches batches of up to 2 MiB, waiting for 2 MiB or 20 ms by default, and refuses a wait over 10 s', () => {
    expect(loadConfig(aggregatorEnvSchema, {})).toMatchObject({
      AGGREGATOR_MAX_BATCH_BYTES: 2_097_152,
      AGGREGATOR_FETCH_WAIT_MS: 20,
      AGGREGATOR_FETCH_MIN_BYTES: 2_097_152,
    });
    expect(loadConfig(aggregatorEnvSchema, { AGGREGATOR_FETCH_WAIT_MS: '0' })).toMatchObject({
      AGGREGATOR_FETCH_WAIT_MS: 0,
    });
    expect(() => loadConfig(aggregatorEnvSchema, { AGGREGATOR_FETCH_MIN_BYTES: '0' })).toThrow(
      /AGGREGATOR_FETCH_MIN_BYTES: expected a positive whole number/,
    );
    expect(() => loadConfig(aggregatorEnvSchema, { AGGREGATOR_FETCH_WAIT_MS: '10001' })).toThrow(
      /AGGREGATOR_FETCH_WAIT_MS: expected 0 to 10000 milliseconds/,
    );
  });
});
