import { z } from 'zod';
import { numberList, ownerEnvShape } from '@abuse-monitor/config';

// Apart from main.ts, which runs the migrations when loaded, so that docs/configuration.md can list it.
const trueOrFalse = z.enum(['true', 'false'], { message: 'expected true or false' }).default('false');

export const migrateEnvSchema = z.object({
  ...ownerEnvShape,
  MIGRATE_CREATE_DATABASE: trueOrFalse.describe('`true`: create the database first (local runs and tests)'),
  MIGRATE_CREATE_ROLE: trueOrFalse.describe(
    '`true`: create `DATABASE_APP_ROLE` (LOGIN, no password) if missing; otherwise a missing role stops the migration',
  ),
  PROTECTED_NUMBERS: numberList
    .default([])
    .describe(
      'deprecated seed: numbers added to the protected originators after the migrations (kind `other`), never removed; supervisors keep the list through the API (decision 0057)',
    ),
});
