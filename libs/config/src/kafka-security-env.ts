import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * How the apps authenticate to a secured Kafka cluster. The variables are named after the Kafka
 * client settings a platform team already hands out (security.protocol, sasl.mechanism, ssl.*),
 * so that their values can be copied across. See docs/decisions/0032.
 */

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The contents of a file named by a variable, read once at start; the path is not a secret. */
const fileContents = (what: string, looksRight: (text: string) => string | null) =>
  z.string().transform((path, ctx) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      ctx.addIssue({ code: 'custom', message: `cannot read ${what} (${code})` });
      return z.NEVER;
    }
    const problem = looksRight(text);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `${problem} (${what})` });
      return z.NEVER;
    }
    return text;
  });

/** A secret in a file, as Kubernetes and Docker mount them: one value, a final line break dropped. */
const secretFile = (what: string) =>
  fileContents(what, (text) => (trimLineBreak(text) === '' ? 'the file is empty' : null)).transform(
    trimLineBreak,
  );

const trimLineBreak = (text: string) => text.replace(/\r?\n$/, '');

const certificates = (what: string) =>
  fileContents(what, (text) => {
    if (!text.includes('-----BEGIN CERTIFICATE-----')) return 'expected PEM certificates';
    try {
      new X509Certificate(text);
      return null;
    } catch {
      return 'the first PEM certificate cannot be parsed';
    }
  });

const privateKeyPem = (what: string) =>
  fileContents(what, (text) =>
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? null : 'expected a PEM private key',
  );

const flag = (what: string) =>
  z.enum(['true', 'false'], { message: `expected true or false (${what})` }).transform((v) => v === 'true');

export const kafkaSecurityEnvShape = {
  KAFKA_SECURITY_PROTOCOL: z
    .enum(SECURITY_PROTOCOLS, { message: `expected one of ${SECURITY_PROTOCOLS.join(', ')}` })
    .default('PLAINTEXT')
    .describe(
      "`PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`, as Kafka's `security.protocol` (decision 0032)",
    ),
  KAFKA_SASL_MECHANISM: z
    .enum(SASL_MECHANISMS, { message: `expected one of ${SASL_MECHANISMS.join(', ')}` })
    .optional()
    .describe('`PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`; required with `SASL_*`'),
  KAFKA_SASL_USERNAME: z.string().optional().describe('SASL user; required with `SASL_*`'),
  KAFKA_SASL_PASSWORD: z
    .string()
    .optional()
    .describe('SASL password; required with `SASL_*` unless `KAFKA_SASL_PASSWORD_FILE` is set (not both)'),
  KAFKA_SASL_PASSWORD_FILE: secretFile('file with the SASL password')
    .optional()
    .describe('a file holding the SASL password, as a mounted Secret'),
  KAFKA_SSL_CA_FILE: certificates('PEM file of the CA certificates to trust')
    .optional()
    .describe(
      "PEM file of the CA certificates that signed the brokers' certificates (`SSL`, `SASL_SSL`); unset: Node's public CAs",
    ),
  KAFKA_SSL_CERT_FILE: certificates("PEM file of the client's certificate")
    .optional()
    .describe(
      'PEM client certificate, for clusters that authenticate clients by certificate; needs `KAFKA_SSL_KEY_FILE`',
    ),
  KAFKA_SSL_KEY_FILE: privateKeyPem("PEM file of the client certificate's private key")
    .optional()
    .describe('PEM private key of that certificate'),
  KAFKA_SSL_KEY_PASSWORD: z
    .string()
    .optional()
    .describe('passphrase of an encrypted key; or `KAFKA_SSL_KEY_PASSWORD_FILE` (not both)'),
  KAFKA_SSL_KEY_PASSWORD_FILE: secretFile("file with the private key's passphrase")
    .optional()
    .describe("a file holding the private key's passphrase"),
  KAFKA_SSL_VERIFY_HOSTNAME: flag("check that the broker's certificate names the host connected to")
    .default(true)
    .describe(
      "`false` skips checking the broker certificate's names against the address; the chain is still verified",
    ),
};

type KafkaSecurityEnv = z.infer<z.ZodObject<typeof kafkaSecurityEnvShape>>;

/** What a kafkajs client needs to connect to a secured cluster; secrets are in memory only. */
export interface KafkaSecurity {
  tls: null | {
    /** PEM; when absent, Node's bundled public CAs are trusted. */
    ca?: string;
    cert?: string;
    key?: string;
    passphrase?: string;
    verifyHostname: boolean;
  };
  sasl: null | { mechanism: SaslMechanism; username: string; password: string };
}

/** A value given either directly or in a file; both at once is a mistake, not a precedence rule. */
function eitherValueOrFile(
  env: KafkaSecurityEnv,
  name: 'KAFKA_SASL_PASSWORD' | 'KAFKA_SSL_KEY_PASSWORD',
  ctx: z.RefinementCtx,
): string | undefined {
  const fileName = `${name}_FILE` as const;
  if (env[name] !== undefined && env[fileName] !== undefined) {
    ctx.addIssue({ code: 'custom', path: [name], message: `set either ${name} or ${fileName}, not both` });
  }
  return env[name] ?? env[fileName];
}

const issue = (ctx: z.RefinementCtx, variable: string, message: string) =>
  ctx.addIssue({ code: 'custom', path: [variable], message });

/**
 * The checks that span several variables, so that every mistake in a secured setup is one line
 * at start rather than a handshake that fails later: settings that the chosen protocol would
 * silently ignore, SASL without its credentials, a key without its certificate or passphrase.
 */
export function checkKafkaSecurity(env: KafkaSecurityEnv, ctx: z.RefinementCtx): void {
  const protocol = env.KAFKA_SECURITY_PROTOCOL;
  const sasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const password = eitherValueOrFile(env, 'KAFKA_SASL_PASSWORD', ctx);
  const passphrase = eitherValueOrFile(env, 'KAFKA_SSL_KEY_PASSWORD', ctx);

  const saslVariables = [
    'KAFKA_SASL_MECHANISM',
    'KAFKA_SASL_USERNAME',
    'KAFKA_SASL_PASSWORD',
    'KAFKA_SASL_PASSWORD_FILE',
  ] as const;
  if (sasl) {
    if (!env.KAFKA_SASL_MECHANISM) issue(ctx, 'KAFKA_SASL_MECHANISM', `required with ${protocol}`);
    if (!env.KAFKA_SASL_USERNAME) issue(ctx, 'KAFKA_SASL_USERNAME', `required with ${protocol}`);
    if (password === undefined) {
      issue(ctx, 'KAFKA_SASL_PASSWORD', `required with ${protocol} (or KAFKA_SASL_PASSWORD_FILE)`);
    }
  } else {
    for (const variable of saslVariables) {
      if (env[variable] !== undefined)
        issue(ctx, variable, `only used with SASL_PLAINTEXT or SASL_SSL, not ${protocol}`);
    }
  }

  const tlsVariables = [
    'KAFKA_SSL_CA_FILE',
    'KAFKA_SSL_CERT_FILE',
    'KAFKA_SSL_KEY_FILE',
    'KAFKA_SSL_KEY_PASSWORD',
    'KAFKA_SSL_KEY_PASSWORD_FILE',
  ] as const;
  if (!tls) {
    for (const variable of tlsVariables) {
      if (env[variable] !== undefined)
        issue(ctx, variable, `only used with SSL or SASL_SSL, not ${protocol}`);
    }
    return;
  }
  const { KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: key } = env;
  if (cert !== undefined && key === undefined)
    issue(ctx, 'KAFKA_SSL_KEY_FILE', 'required with KAFKA_SSL_CERT_FILE');
  if (key !== undefined && cert === undefined)
    issue(ctx, 'KAFKA_SSL_CERT_FILE', 'required with KAFKA_SSL_KEY_FILE');
  if (passphrase !== undefined && key === undefined) {
    issue(ctx, 'KAFKA_SSL_KEY_PASSWORD', 'only used with KAFKA_SSL_KEY_FILE');
  }
  if (key === undefined) return;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key, passphrase });
  } catch {
    issue(
      ctx,
      'KAFKA_SSL_KEY_FILE',
      passphrase === undefined
        ? 'cannot read the private key: is it encrypted? then set KAFKA_SSL_KEY_PASSWORD or KAFKA_SSL_KEY_PASSWORD_FILE'
        : 'cannot read the private key with the given passphrase',
    );
    return;
  }
  if (cert !== undefined && !new X509Certificate(cert).checkPrivateKey(privateKey)) {
    issue(ctx, 'KAFKA_SSL_CERT_FILE', 'the certificate is not the one of the key in KAFKA_SSL_KEY_FILE');
  }
}

/** The checked variables as the messaging library wants them. */
export function kafkaSecurity(env: KafkaSecurityEnv): KafkaSecurity {
  const protocol = env.KAFKA_SECURITY_PROTOCOL;
  const tls =
    protocol === 'SSL' || protocol === 'SASL_SSL'
      ? {
          ca: env.KAFKA_SSL_CA_FILE,
          cert: env.KAFKA_SSL_CERT_FILE,
          key: env.KAFKA_SSL_KEY_FILE,
          passphrase: env.KAFKA_SSL_KEY_PASSWORD ?? env.KAFKA_SSL_KEY_PASSWORD_FILE,
          verifyHostname: env.KAFKA_SSL_VERIFY_HOSTNAME,
        }
      : null;
  const password = env.KAFKA_SASL_PASSWORD ?? env.KAFKA_SASL_PASSWORD_FILE;
  if (protocol !== 'SASL_PLAINTEXT' && protocol !== 'SASL_SSL') return { tls, sasl: null };
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username } = env;
  if (!mechanism || !username || password === undefined) {
    throw new Error('kafkaSecurity() was given variables that checkKafkaSecurity() would refuse');
  }
  return { tls, sasl: { mechanism, username, password } };
}
