import { backoffDelay } from '@abuse-monitor/runtime';
import { createKafka, KafkaSettings } from './kafka-client';

/** Node's codes for a broker certificate that cannot be trusted, or a TLS talk that is not TLS. */
const TLS_REFUSALS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
]);
/** The broker's error types for SASL that retrying cannot fix. */
const SASL_REFUSALS = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
]);

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  type?: string;
  cause?: unknown;
  originalError?: unknown;
}

/**
 * Why the broker will never let us in with these settings, as one line naming the variables to
 * check, or null when the failure may pass (a broker still starting, a network hiccup). Follows
 * kafkajs' wrapping (retries exceeded, non-retriable) down to the cause.
 */
export function kafkaAccessRefusal(error: unknown, settings: KafkaSettings): string | null {
  const seen = new Set<unknown>();
  for (let e = error as ErrorLike | undefined; e && typeof e === 'object' && !seen.has(e);) {
    seen.add(e);
    const { sasl } = settings.security;
    if (e.name === 'KafkaJSSASLAuthenticationError' || (e.type && SASL_REFUSALS.has(e.type))) {
      const who = sasl ? ` for user "${sasl.username}" with ${sasl.mechanism}` : '';
      return `Kafka refused authentication${who}: ${oneLine(e.message)}; check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) and KAFKA_SASL_MECHANISM`;
    }
    if (e.code && TLS_REFUSALS.has(e.code)) {
      return `TLS with Kafka failed: ${oneLine(e.message)}; check KAFKA_SECURITY_PROTOCOL, KAFKA_SSL_CA_FILE and the broker address against its certificate (KAFKA_SSL_VERIFY_HOSTNAME)`;
    }
    e = (e.cause ?? e.originalError) as ErrorLike | undefined;
  }
  return null;
}

const oneLine = (text: string | undefined) => (text ?? 'no reason given').replace(/\s+/g, ' ').trim();

export type KafkaAccess = { ok: true } | { ok: false; refusal: string | null; reason: string };

/** One connection to the brokers with these settings, kafkajs retrying nothing. */
export async function tryKafkaAccess(settings: KafkaSettings): Promise<KafkaAccess> {
  // Silent: the outcome is reported by the caller, in one line, instead of kafkajs' own logs.
  const kafka = createKafka(settings, () => undefined, { retry: { retries: 0 } });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      refusal: kafkaAccessRefusal(error, settings),
      reason: oneLine((error as Error).message),
    };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Ends the process with one line on stderr and exit code 1 when the brokers refuse these
 * settings (credentials, certificates): retrying would only fill the log. A broker that is not
 * reachable yet is no reason to stop, as the apps start while it is down; the check then goes on
 * in the background until it connects once or is refused.
 */
export async function exitIfKafkaRefusesAccess(
  settings: KafkaSettings,
  onUnreachable: (reason: string) => void = () => undefined,
): Promise<void> {
  const first = await tryKafkaAccess(settings);
  if (first.ok) return;
  refuseOrGoOn(first);
  onUnreachable(first.reason);
  void (async () => {
    for (let attempt = 1; ; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, 1_000, 30_000)).unref());
      const access = await tryKafkaAccess(settings);
      if (access.ok) return;
      refuseOrGoOn(access);
    }
  })();
}

function refuseOrGoOn(access: KafkaAccess): void {
  if (access.ok || access.refusal === null) return;
  process.stderr.write(`cannot start: ${access.refusal}\n`);
  process.exit(1);
}
