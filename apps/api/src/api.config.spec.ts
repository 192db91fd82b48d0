import { loadConfig } from '@abuse-monitor/config';
import { apiConfigProblems, apiEnvSchema } from './api.config';

describe('the API configuration', () => {
  const load = (env: Record<string, string>) => loadConfig(apiEnvSchema, env);

  it('refuses a cookie without Secure unless the API listens on loopback only', () => {
    expect(apiConfigProblems(load({ API_SESSION_COOKIE_SECURE: 'false', API_HOST: '127.0.0.1' }))).toEqual(
      [],
    );
    expect(apiConfigProblems(load({ API_SESSION_COOKIE_SECURE: 'false', API_HOST: '::1' }))).toEqual([]);
    expect(apiConfigProblems(load({ API_SESSION_COOKIE_SECURE: 'false', API_HOST: 'localhost' }))).toEqual(
      [],
    );
    for (const host of ['0.0.0.0', '10.1.2.3', 'api.internal', '::']) {
      const problems = apiConfigProblems(load({ API_SESSION_COOKIE_SECURE: 'false', API_HOST: host }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`API_HOST is ${host}`);
    }
    // The default (Secure) is fine anywhere.
    expect(apiConfigProblems(load({ API_HOST: '0.0.0.0' }))).toEqual([]);
  });

  it('keeps sessions signed in while used: idle timeout 30 minutes, at least 5, 10 per token', () => {
    const config = load({});
    expect(config.API_SESSION_IDLE_TIMEOUT).toBe(30 * 60_000);
    expect(config.API_SESSIONS_PER_TOKEN).toBe(10);
    expect(() => load({ API_SESSION_IDLE_TIMEOUT: '2m' })).toThrow(/API_SESSION_IDLE_TIMEOUT: at least 5m/);
    expect(load({ API_SESSION_IDLE_TIMEOUT: '8h' }).API_SESSION_IDLE_TIMEOUT).toBe(8 * 3_600_000);
  });
});
