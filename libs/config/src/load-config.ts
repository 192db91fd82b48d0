import { z } from 'zod';
import { checkKafkaSecurity } from './kafka-security-env';
import { valuesFromFiles } from './values-from-files';

/** Thrown when the environment does not describe a runnable process; its message is one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type EnvSchema = z.ZodObject<Record<string, z.ZodType>>;

/** Variables whose whole value is a secret, by their name. */
const SECRET_NAME = /PASSWORD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|(?:^|_)KEY$/i;
/** Everything before the last '@' of a value, after any 'scheme://': the user and password of a URL. */
const USER_INFO = /^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?)[^]*@/;

/**
 * A bad value as the error message shows it: an operator needs to see what was wrong with it,
 * but the message goes to a terminal, a CI log or a log collector, so never a password, whether
 * in a secret variable or in the user part of a URL (DATABASE_URL).
 */
export function shownValue(variable: string, value: string | undefined): string {
  if (value === undefined) return 'missing';
  // KAFKA_SASL_PASSWORD_FILE holds where the secret is, which the operator needs to see.
  if (SECRET_NAME.test(variable) && !variable.endsWith('_FILE'))
    return 'got a value, not shown as it is secret';
  return `got ${JSON.stringify(value.replace(USER_INFO, '$1***@'))}`;
}

/**
 * Parses `env` against `schema` and returns one typed object, or throws a ConfigError whose
 * message names every bad variable and what it expects. Variables that are unset take the
 * schema's defaults, so a bare machine with local Kafka and PostgreSQL needs none. Any variable
 * may instead be read from a file named by `<NAME>_FILE`.
 */
export function loadConfig<S extends EnvSchema>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const names = Object.keys(schema.shape);
  // A schema that declares NAME_FILE itself (the Kafka secrets) reads and checks that file its own way.
  const fromFiles = valuesFromFiles(
    names.filter((name) => !names.includes(`${name}_FILE`)),
    env,
  );
  if (fromFiles.problems.length > 0)
    throw new ConfigError(`Invalid configuration: ${fromFiles.problems.join('; ')}`);
  const blanksRemoved: Record<string, string> = {};
  for (const key of names) {
    const value = fromFiles.values[key] ?? env[key];
    if (value !== undefined && value.trim() !== '') blanksRemoved[key] = value.trim();
  }
  // The Kafka security variables only make sense together; any schema that has them is checked as a whole.
  const checked =
    'KAFKA_SECURITY_PROTOCOL' in schema.shape ? schema.superRefine(checkKafkaSecurityOf) : schema;
  const parsed = checked.safeParse(blanksRemoved);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    return `${variable}: ${issue.message} (${shownValue(variable, blanksRemoved[variable])})`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

function checkKafkaSecurityOf(config: Record<string, unknown>, ctx: z.RefinementCtx): void {
  checkKafkaSecurity(config as Parameters<typeof checkKafkaSecurity>[0], ctx);
}

/** Entry points call this so a bad environment ends the process with one clear line and exit code 1. */
export function loadConfigOrExit<S extends EnvSchema>(schema: S): z.infer<S> {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
