import { z } from 'zod';
import { postgresUrl } from '@abuse-monitor/config';

// Apart from main.ts, which runs the tool when loaded, so that docs/configuration.md can list it.
export const whatifEnvSchema = z.object({
  DATABASE_URL: postgresUrl
    .default('postgres://postgres@127.0.0.1:5432/abuse_monitor')
    .describe('PostgreSQL connection URL (`postgres://user:password@host:5432/db`); the tool only reads'),
});
