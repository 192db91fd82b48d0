import { z } from 'zod';
import { postgresUrl } from './env-fields';

/**
 * The apps and the migrations connect as different PostgreSQL roles (decision 0033): the apps as a
 * role that may only read and write rows, the migrations as the schema's owner.
 */
export const APP_ROLE_DEFAULT = 'abuse_monitor_app';
export const DATABASE_URL_DEFAULT = `postgres://${APP_ROLE_DEFAULT}@127.0.0.1:5432/abuse_monitor`;
export const DATABASE_OWNER_URL_DEFAULT = 'postgres://postgres@127.0.0.1:5432/abuse_monitor';

/** A role name PostgreSQL takes unquoted: what a DBA types, and safe to put into a GRANT. */
export const roleName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, {
  message: 'expected a PostgreSQL role name: lower-case letters, digits and underscores, up to 63',
});

/** What the migrate app reads: who owns the schema, and which role the apps log in as. */
export const ownerEnvShape = {
  DATABASE_OWNER_URL: postgresUrl
    .default(DATABASE_OWNER_URL_DEFAULT)
    .describe("PostgreSQL as the schema's owner, for the migrations only; never give it to an app"),
  DATABASE_APP_ROLE: roleName
    .default(APP_ROLE_DEFAULT)
    .describe(
      "the role the migrations grant the apps' privileges to: the user of `DATABASE_URL`, or a group role it is in",
    ),
};
