#!/usr/bin/env node
// The line `npm start` (scripts/local-run.sh) prints every 5 s: what the pipeline has counted so
// far, read from PostgreSQL at DATABASE_URL. A read failure is a line too, never an exit: the loop
// that calls it goes on, and the database may only be restarting.
const { Client } = require('pg');

const PROGRESS = `SELECT (SELECT count(*) FROM reports) AS reports,
       (SELECT count(*) FROM reports WHERE stored_at > now() - interval '5 seconds') AS recent,
       (SELECT count(*) FROM rejected_reports) AS rejected,
       (SELECT count(*) FROM flags WHERE status IN ('open', 'in_review')) AS flags`;

async function progressLine(connectionString) {
  const client = new Client({ connectionString });
  // A connection lost mid-query rejects the query too; unheard, the event would end the process.
  client.on('error', () => {});
  try {
    await client.connect();
    const [x] = (await client.query(PROGRESS)).rows;
    return `${new Date().toISOString()}  reports counted: ${x.reports} (+${x.recent} in 5 s), messages rejected: ${x.rejected}, open flags: ${x.flags}`;
  } catch (error) {
    return `cannot read PostgreSQL: ${error.message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

progressLine(process.env.DATABASE_URL).then((line) => process.stdout.write(`${line}\n`));
