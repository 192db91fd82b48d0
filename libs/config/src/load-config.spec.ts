import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { commonEnvShape, ConfigError, loadConfig, ownerEnvShape, positiveInt } from './index';

const schema = z.object({ ...commonEnvShape, BATCH_SIZE: positiveInt('messages per batch').default(500) });

describe('loadConfig', () => {
  it('gives working local defaults when nothing is set', () => {
    const config = loadConfig(schema, {});
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.DATABASE_URL).toBe('postgres://abuse_monitor_app@127.0.0.1:5432/abuse_monitor');
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

  it('connects the apps as the app role and the migrations as the owner by default', () => {
    const owner = loadConfig(z.object(ownerEnvShape), {});
    expect(owner.DATABASE_OWNER_URL).toBe('postgres://postgres@127.0.0.1:5432/abuse_monitor');
    expect(owner.DATABASE_APP_ROLE).toBe('abuse_monitor_app');
    expect(() => loadConfig(z.object(ownerEnvShape), { DATABASE_APP_ROLE: 'app"; DROP ROLE x' })).toThrow(
      /DATABASE_APP_ROLE: expected a PostgreSQL role name/,
    );
  });
});

describe('loadConfig with <NAME>_FILE', () => {
  const directory = mkdtempSync(join(tmpdir(), 'config-files-'));
  const file = (name: string, content: string) => {
    const path = join(directory, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads a variable from the file named by <NAME>_FILE, without its line break', () => {
    const path = file('url', 'postgres://app:s3cret-Pa55@db.internal:5432/abuse\n');
    expect(loadConfig(schema, { DATABASE_URL_FILE: path }).DATABASE_URL).toBe(
      'postgres://app:s3cret-Pa55@db.internal:5432/abuse',
    );
  });

  it('refuses both a variable and its file, a missing file and an empty one, showing no content', () => {
    const bad = file('bad', 'mysql://app:s3cret-Pa55@db.internal/abuse');
    expect(() => loadConfig(schema, { DATABASE_URL: 'postgres://a@b/c', DATABASE_URL_FILE: bad })).toThrow(
      'Invalid configuration: DATABASE_URL_FILE: set DATABASE_URL or DATABASE_URL_FILE, not both',
    );
    expect(() => loadConfig(schema, { DATABASE_URL_FILE: join(directory, 'absent') })).toThrow(
      /DATABASE_URL_FILE: cannot read ".*absent" \(ENOENT\)/,
    );
    expect(() => loadConfig(schema, { DATABASE_URL_FILE: file('empty', '\n') })).toThrow(
      /DATABASE_URL_FILE: ".*empty" is empty/,
    );
    let message = '';
    try {
      loadConfig(schema, { DATABASE_URL_FILE: bad });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration: DATABASE_URL: expected a URL like/);
    expect(message).not.toMatch(/s3cret|Pa55/);
  });
});
