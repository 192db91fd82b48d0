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

  it('refuses a growth that is not a positive whole number, naming the variable', () => {
    for (const given of ['0', '-5', '1.5', 'lots']) {
      expect(() => loadConfig(aggregatorEnvSchema, { AGGREGATOR_HEAP_GROWING_PERCENT: given })).toThrow(
        /AGGREGATOR_HEAP_GROWING_PERCENT: expected a (positive )?whole number/,
      );
    }
  });
});
