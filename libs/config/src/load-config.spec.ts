import { z } from 'zod';
import { commonEnvShape, ConfigError, loadConfig, positiveInt } from './index';

const schema = z.object({ ...commonEnvShape, BATCH_SIZE: positiveInt('messages per batch').default(500) });

describe('loadConfig', () => {
  it('gives working local defaults when nothing is set', () => {
    const config = loadConfig(schema, {});
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/abuse_monitor');
    expect(config.BATCH_SIZE).toBe(500);
    expect(config.KAFKA_TOPIC_PREFIX).toBe('');
  });

  it('parses a list of brokers and trims spaces', () => {
    const config = loadConfig(schema, { KAFKA_BROKERS: 'a.example:9092, b.example:9093' });
    expect(config.KAFKA_BROKERS).toEqual(['a.example:9092', 'b.example:9093']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { BATCH_SIZE: '  ' }).BATCH_SIZE).toBe(500);
  });

  it('names the variable and what it expects when a broker port is not a number', () => {
    expect(() => loadConfig(schema, { KAFKA_BROKERS: 'localhost:abc' })).toThrow(
      'KAFKA_BROKERS: expected a comma-separated list of host:port (for example 127.0.0.1:9092) (got "localhost:abc")',
    );
  });

  it('rejects a database URL of another scheme', () => {
    expect(() => loadConfig(schema, { DATABASE_URL: 'mysql://x/y' })).toThrow(
      /DATABASE_URL: expected a URL like/,
    );
  });

  it('reports every bad variable on one line', () => {
    let message = '';
    try {
      loadConfig(schema, { KAFKA_BROKERS: 'x', BATCH_SIZE: '0' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('KAFKA_BROKERS');
    expect(message).toContain('BATCH_SIZE: expected a positive whole number');
    expect(message).not.toContain('\n');
  });

  it('never shows the password of a bad URL', () => {
    for (const url of [
      'mysql://abuse:s3cret-Pa55@db.internal:3306/abuse',
      'postgres://abuse:s3cret-Pa55@db.internal:5432',
      'postgres://abuse:s3cret/Pa55@db.internal:5432',
      'postgres://abuse:s3cret@Pa55@db.internal:5432',
      'abuse:s3cret-Pa55@db.internal/abuse',
    ]) {
      let message = '';
      try {
        loadConfig(schema, { DATABASE_URL: url });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Invalid configuration: DATABASE_URL: expected a URL like/);
      expect(message).toContain('***@');
      expect(message).not.toMatch(/s3cret|Pa55/);
    }
  });

  it('never shows the value of a secret variable', () => {
    const withSecret = z.object({
      API_TOKEN_PEPPER: z.string().min(32, { message: 'expected 32 characters' }),
    });
    expect(() => loadConfig(withSecret, { API_TOKEN_PEPPER: 'short-s3cret' })).toThrow(
      'API_TOKEN_PEPPER: expected 32 characters (got a value, not shown as it is secret)',
    );
  });
});
