import { loadConfig } from '@abuse-monitor/config';
import { aggregatorEnvSchema } from './aggregator.config';

describe('aggregator configuration', () => {
  it('bounds heap growth and keeps busy numbers in memory by default', () => {
    const config = loadConfig(aggregatorEnvSchema, {});
    expect(config.AGGREGATOR_HEAP_GROWING_PERCENT).toBe(100);
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
});
