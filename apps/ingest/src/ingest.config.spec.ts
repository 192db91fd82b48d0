import { loadConfig } from '@abuse-monitor/config';
import { ingestEnvSchema } from './ingest.config';

describe('ingest configuration', () => {
  it('takes reports on 156 and 5656, and hotline reports up to 7 days after the call, by default', () => {
    const config = loadConfig(ingestEnvSchema, {});
    expect(config.SMS_SHORT_CODES).toEqual(['156', '5656']);
    expect(config.HOTLINE_MAX_REPORT_AGE).toBe(7 * 86_400_000);
  });

  it('reads the short codes and the age bound it is given', () => {
    expect(
      loadConfig(ingestEnvSchema, { SMS_SHORT_CODES: '156, 5656,9199', HOTLINE_MAX_REPORT_AGE: '36h' }),
    ).toMatchObject({ SMS_SHORT_CODES: ['156', '5656', '9199'], HOTLINE_MAX_REPORT_AGE: 36 * 3_600_000 });
  });

  it('refuses short codes that are not 3 to 6 digits, naming the variable', () => {
    for (const given of ['15', '1234567', '156,abc', '+156', ',']) {
      expect(() => loadConfig(ingestEnvSchema, { SMS_SHORT_CODES: given })).toThrow(
        /SMS_SHORT_CODES: expected comma-separated short codes of 3 to 6 digits/,
      );
    }
  });

  it('refuses an age bound that is no duration', () => {
    expect(() => loadConfig(ingestEnvSchema, { HOTLINE_MAX_REPORT_AGE: '7' })).toThrow(
      /HOTLINE_MAX_REPORT_AGE: expected a duration like 30m, 2h or 90d/,
    );
  });

  it("allows 75 % of the live heap in garbage by default, and 0 leaves V8's own growth", () => {
    expect(loadConfig(ingestEnvSchema, {}).INGEST_HEAP_GROWING_PERCENT).toBe(75);
    expect(loadConfig(ingestEnvSchema, { INGEST_HEAP_GROWING_PERCENT: '0' })).toMatchObject({
      INGEST_HEAP_GROWING_PERCENT: 0,
    });
  });

  it('fetches up to 1 MiB or 20 ms by default, and takes 0 ms: answer with whatever has come', () => {
    expect(loadConfig(ingestEnvSchema, {})).toMatchObject({
      INGEST_FETCH_WAIT_MS: 20,
      INGEST_FETCH_MIN_BYTES: 1_048_576,
    });
    expect(
      loadConfig(ingestEnvSchema, { INGEST_FETCH_WAIT_MS: '0', INGEST_FETCH_MIN_BYTES: '1' }),
    ).toMatchObject({ INGEST_FETCH_WAIT_MS: 0, INGEST_FETCH_MIN_BYTES: 1 });
  });

  it('refuses a fetch wait over 10 s, which would hold every batch that long', () => {
    expect(() => loadConfig(ingestEnvSchema, { INGEST_FETCH_WAIT_MS: '10001' })).toThrow(
      /INGEST_FETCH_WAIT_MS: expected 0 to 10000 milliseconds/,
    );
  });
});
