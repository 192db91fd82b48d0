import { z } from 'zod';

/** Thrown when the environment does not describe a runnable process; its message is one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type EnvSchema = z.ZodObject<Record<string, z.ZodType>>;

/**
 * Parses `env` against `schema` and returns one typed object, or throws a ConfigError whose
 * message names every bad variable and what it expects. Variables that are unset take the
 * schema's defaults, so a bare machine with local Kafka and PostgreSQL needs none.
 */
export function loadConfig<S extends EnvSchema>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const blanksRemoved: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') blanksRemoved[key] = value.trim();
  }
  const parsed = schema.safeParse(blanksRemoved);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const given = blanksRemoved[variable];
    const shown = given === undefined ? 'missing' : `got ${JSON.stringify(given)}`;
    return `${variable}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
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
