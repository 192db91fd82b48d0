/** The owner's connection: tests create, migrate, seed and inspect their databases with it. */
export const TEST_POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * The role the apps run as in the tests, as in production (decision 0033): one role for the whole
 * server, granted per database by the migration step. Trust authentication lets it in without a
 * password; elsewhere set TEST_APP_POSTGRES_URL with its credentials (the database part is replaced).
 */
export const TEST_APP_POSTGRES_URL =
  process.env.TEST_APP_POSTGRES_URL ?? 'postgres://abuse_monitor_app@127.0.0.1:5432/postgres';
export const TEST_APP_ROLE = decodeURIComponent(new URL(TEST_APP_POSTGRES_URL).username);

/**
 * Refuses to start an app as the owner: a missing grant would then go unnoticed by every test.
 * Deliberately bad URLs (another user, an unparseable one) pass, for the tests of bad settings.
 */
export function assertAppRole(env: Record<string, string | undefined>): void {
  const url = env.DATABASE_URL;
  if (!url || !URL.canParse(url)) return;
  const owner = new URL(TEST_POSTGRES_URL);
  const given = new URL(url);
  if (given.username === owner.username && given.host === owner.host)
    throw new Error(`an app under test got the owner's DATABASE_URL: give it the database's appUrl`);
}
