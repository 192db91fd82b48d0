import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, kafkaClientSettings, kafkaEnvShape, loadConfig } from './index';

const schema = z.object(kafkaEnvShape);
const fixture = (name: string) => join(__dirname, 'test-fixtures', name);
const CA = fixture('client.cert.pem');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-security-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, contents: string): string {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
}

const load = (env: Record<string, string>) => loadConfig(schema, env);
const settingsOf = (env: Record<string, string>) => kafkaClientSettings(load(env), 'ingest');
const errorOf = (env: Record<string, string>): string => {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
};

const SASL_SSL = {
  KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
  KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
  KAFKA_SASL_USERNAME: 'abuse-monitor',
};

describe('Kafka security settings', () => {
  it('connects in plain text with no security variables, as before', () => {
    expect(settingsOf({})).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'abuse-monitor-ingest',
      security: { tls: null, sasl: null },
    });
  });

  it('reads SASL_SSL with a password, a CA file and the hostname check on by default', () => {
    expect(
      settingsOf({ ...SASL_SSL, KAFKA_SASL_PASSWORD: 's3cret', KAFKA_SSL_CA_FILE: CA }).security,
    ).toEqual({
      tls: {
        ca: expect.stringContaining('-----BEGIN CERTIFICATE-----'),
        cert: undefined,
        key: undefined,
        passphrase: undefined,
        verifyHostname: true,
      },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'abuse-monitor', password: 's3cret' },
    });
  });

  it('reads the password from a file, without its final line break', () => {
    const path = file('password', 'from-a-file\n');
    expect(settingsOf({ ...SASL_SSL, KAFKA_SASL_PASSWORD_FILE: path }).security.sasl?.password).toBe(
      'from-a-file',
    );
  });

  it('turns the hostname check off only when told so', () => {
    const tls = settingsOf({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_VERIFY_HOSTNAME: 'false' }).security
      .tls;
    expect(tls).toMatchObject({ verifyHostname: false });
    expect(tls?.ca).toBeUndefined();
    expect(errorOf({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_VERIFY_HOSTNAME: 'no' })).toContain(
      'KAFKA_SSL_VERIFY_HOSTNAME: expected true or false',
    );
  });

  it('takes a client certificate with an encrypted key and its passphrase from a file', () => {
    const security = settingsOf({
      KAFKA_SECURITY_PROTOCOL: 'SSL',
      KAFKA_SSL_CERT_FILE: fixture('client.cert.pem'),
      KAFKA_SSL_KEY_FILE: fixture('client.key.encrypted.pem'),
      KAFKA_SSL_KEY_PASSWORD_FILE: file('passphrase', 'unit-test-passphrase\n'),
    }).security;
    expect(security.tls).toMatchObject({
      cert: expect.stringContaining('BEGIN CERTIFICATE'),
      key: expect.stringContaining('BEGIN ENCRYPTED PRIVATE KEY'),
      passphrase: 'unit-test-passphrase',
    });
    expect(security.sasl).toBeNull();
  });

  it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])('accepts the SASL mechanism %s', (mechanism) => {
    const env = { ...SASL_SSL, KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_PASSWORD: 'x' };
    expect(settingsOf(env).security.sasl?.mechanism).toBe(mechanism);
  });

  describe('refuses at start, in one line', () => {
    it('an unknown protocol or mechanism', () => {
      expect(errorOf({ KAFKA_SECURITY_PROTOCOL: 'TLS' })).toContain(
        'KAFKA_SECURITY_PROTOCOL: expected one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL (got "TLS")',
      );
      expect(errorOf({ ...SASL_SSL, KAFKA_SASL_MECHANISM: 'GSSAPI', KAFKA_SASL_PASSWORD: 'x' })).toContain(
        'KAFKA_SASL_MECHANISM: expected one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512',
      );
    });

    it('SASL without mechanism, user or password', () => {
      const message = errorOf({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' });
      expect(message).toContain('KAFKA_SASL_MECHANISM: required with SASL_SSL (missing)');
      expect(message).toContain('KAFKA_SASL_USERNAME: required with SASL_SSL (missing)');
      expect(message).toContain(
        'KAFKA_SASL_PASSWORD: required with SASL_SSL (or KAFKA_SASL_PASSWORD_FILE) (missing)',
      );
      expect(message).not.toContain('\n');
    });

    it('a password given both directly and in a file, without showing it', () => {
      const message = errorOf({
        ...SASL_SSL,
        KAFKA_SASL_PASSWORD: 'do-not-show-me',
        KAFKA_SASL_PASSWORD_FILE: file('both', 'nor-me'),
      });
      expect(message).toContain(
        'KAFKA_SASL_PASSWORD: set either KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both',
      );
      expect(message).not.toMatch(/do-not-show-me|nor-me/);
    });

    it('a password file that is missing, unreadable or empty, naming the path', () => {
      const missing = join(dir, 'no-such-file');
      expect(errorOf({ ...SASL_SSL, KAFKA_SASL_PASSWORD_FILE: missing })).toBe(
        `Invalid configuration: KAFKA_SASL_PASSWORD_FILE: cannot read file with the SASL password (ENOENT) (got ${JSON.stringify(missing)})`,
      );
      expect(errorOf({ ...SASL_SSL, KAFKA_SASL_PASSWORD_FILE: dir })).toContain('(EISDIR)');
      expect(errorOf({ ...SASL_SSL, KAFKA_SASL_PASSWORD_FILE: file('empty', '\n') })).toContain(
        'KAFKA_SASL_PASSWORD_FILE: the file is empty',
      );
      if (process.getuid?.() !== 0) {
        const locked = file('locked', 'secret');
        chmodSync(locked, 0o000);
        expect(errorOf({ ...SASL_SSL, KAFKA_SASL_PASSWORD_FILE: locked })).toContain('(EACCES)');
      }
    });

    it('settings the protocol would ignore', () => {
      const message = errorOf({ KAFKA_SASL_PASSWORD: 'x', KAFKA_SSL_CA_FILE: CA });
      expect(message).toContain(
        'KAFKA_SASL_PASSWORD: only used with SASL_PLAINTEXT or SASL_SSL, not PLAINTEXT',
      );
      expect(message).toContain('KAFKA_SSL_CA_FILE: only used with SSL or SASL_SSL, not PLAINTEXT');
      expect(
        errorOf({
          ...SASL_SSL,
          KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
          KAFKA_SASL_PASSWORD: 'x',
          KAFKA_SSL_CA_FILE: CA,
        }),
      ).toContain('KAFKA_SSL_CA_FILE: only used with SSL or SASL_SSL, not SASL_PLAINTEXT');
    });

    it('a CA file that holds no certificate', () => {
      expect(
        errorOf({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: file('ca.txt', 'hello') }),
      ).toContain('KAFKA_SSL_CA_FILE: expected PEM certificates (PEM file of the CA certificates to trust)');
    });

    it('a key without its certificate, or a certificate without its key', () => {
      expect(
        errorOf({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_KEY_FILE: fixture('client.key.pem') }),
      ).toContain('KAFKA_SSL_CERT_FILE: required with KAFKA_SSL_KEY_FILE (missing)');
      expect(
        errorOf({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: fixture('client.cert.pem') }),
      ).toContain('KAFKA_SSL_KEY_FILE: required with KAFKA_SSL_CERT_FILE (missing)');
    });

    it('an encrypted key without or with a wrong passphrase, without showing it', () => {
      const env = {
        KAFKA_SECURITY_PROTOCOL: 'SSL',
        KAFKA_SSL_CERT_FILE: fixture('client.cert.pem'),
        KAFKA_SSL_KEY_FILE: fixture('client.key.encrypted.pem'),
      };
      expect(errorOf(env)).toContain(
        'KAFKA_SSL_KEY_FILE: cannot read the private key: is it encrypted? then set KAFKA_SSL_KEY_PASSWORD',
      );
      const message = errorOf({ ...env, KAFKA_SSL_KEY_PASSWORD: 'wrong-passphrase' });
      expect(message).toContain('KAFKA_SSL_KEY_FILE: cannot read the private key with the given passphrase');
      expect(message).not.toContain('wrong-passphrase');
    });

    it('a certificate that is not the one of the key', () => {
      expect(
        errorOf({
          KAFKA_SECURITY_PROTOCOL: 'SSL',
          KAFKA_SSL_CERT_FILE: fixture('client.cert.pem'),
          KAFKA_SSL_KEY_FILE: fixture('other.key.pem'),
        }),
      ).toContain('KAFKA_SSL_CERT_FILE: the certificate is not the one of the key in KAFKA_SSL_KEY_FILE');
    });

    it('a passphrase without a key', () => {
      expect(errorOf({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_KEY_PASSWORD: 'x' })).toContain(
        'KAFKA_SSL_KEY_PASSWORD: only used with KAFKA_SSL_KEY_FILE',
      );
    });
  });
});
