import type { PeerCertificate } from 'node:tls';
import type { KafkaSecurity } from '@abuse-monitor/config';
import { kafkaAccessRefusal } from './kafka-access';
import { saslOptions, tlsOptions } from './kafka-client';

const tls = (over: Partial<NonNullable<KafkaSecurity['tls']>> = {}) => ({ verifyHostname: true, ...over });

describe('kafkajs options from the security settings', () => {
  it('always verifies the certificate chain, and checks the host name unless told not to', () => {
    const checked = tlsOptions(tls({ ca: 'CA PEM' }));
    expect(checked).toEqual({ rejectUnauthorized: true, ca: ['CA PEM'] });
    const unchecked = tlsOptions(tls({ verifyHostname: false }));
    expect(unchecked.rejectUnauthorized).toBe(true);
    expect(unchecked.checkServerIdentity?.('broker-1.internal', {} as PeerCertificate)).toBeUndefined();
  });

  it('passes a client certificate, its key and passphrase through', () => {
    expect(tlsOptions(tls({ cert: 'C', key: 'K', passphrase: 'P' }))).toEqual({
      rejectUnauthorized: true,
      cert: 'C',
      key: 'K',
      passphrase: 'P',
    });
  });

  it.each([
    ['PLAIN', 'plain'],
    ['SCRAM-SHA-256', 'scram-sha-256'],
    ['SCRAM-SHA-512', 'scram-sha-512'],
  ] as const)('names the mechanism %s as kafkajs does', (mechanism, kafkajsName) => {
    expect(saslOptions({ mechanism, username: 'u', password: 'p' })).toEqual({
      mechanism: kafkajsName,
      username: 'u',
      password: 'p',
    });
  });
});

describe('kafkaAccessRefusal', () => {
  const settings = {
    brokers: ['b:9093'],
    clientId: 'x',
    security: {
      tls: tls(),
      sasl: { mechanism: 'SCRAM-SHA-512' as const, username: 'abuse-monitor', password: 'never-shown' },
    },
  };

  it('names the user and the variables to check when SASL is refused, never the password', () => {
    const error = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    const refusal = kafkaAccessRefusal(error, settings);
    expect(refusal).toBe(
      'Kafka refused authentication for user "abuse-monitor" with SCRAM-SHA-512: SASL SCRAM SHA512 authentication failed: invalid credentials; check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) and KAFKA_SASL_MECHANISM',
    );
    expect(refusal).not.toContain('never-shown');
  });

  it('finds an untrusted certificate behind kafkajs retries', () => {
    const cause = Object.assign(new Error('Connection error: self-signed certificate in certificate chain'), {
      name: 'KafkaJSConnectionError',
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    const error = Object.assign(new Error(cause.message), { name: 'KafkaJSNumberOfRetriesExceeded', cause });
    expect(kafkaAccessRefusal(error, settings)).toMatch(
      /^TLS with Kafka failed: Connection error: self-signed certificate in certificate chain; check KAFKA_SECURITY_PROTOCOL, KAFKA_SSL_CA_FILE/,
    );
  });

  it('lets a broker that is not reachable yet be retried', () => {
    const error = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), {
      name: 'KafkaJSConnectionError',
      code: 'ECONNREFUSED',
    });
    expect(kafkaAccessRefusal(error, settings)).toBeNull();
  });
});
