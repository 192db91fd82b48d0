import { Client } from 'pg';

/**
 * Runs `work` with the name of the database in `url` and a client connected to the server's
 * `postgres` database, from where databases are created and dropped.
 */
async function onServer<T>(url: string, work: (client: Client, name: string) => Promise<T>): Promise<T> {
  const admin = new URL(url);
  const name = decodeURIComponent(admin.pathname.slice(1));
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await work(client, name);
  } finally {
    await client.end();
  }
}

/**
 * Creates the database named in `url` if it does not exist. Used by the local run, the tests and
 * the benchmarks; production databases are provisioned by their owners.
 */
export function ensureDatabaseExists(url: string): Promise<boolean> {
  return onServer(url, async (client, name) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    return true;
  });
}

export function dropDatabase(url: string): Promise<void> {
  return onServer(url, async (client, name) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
