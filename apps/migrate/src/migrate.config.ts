import { z } from 'zod';
import { ownerEnvShape } from '@abuse-monitor/config';

// Apart from main.ts, which runs the migrations when loaded, so that docs/configuration.md can list it.
const trueOrFalse = z.enum(['true', 'false'], { message: 'expected true or false' }).default('false');

export const migrateEnvSchema = z.object({
  ...ownerEnvShape,
  MIGRATE_CREATE_DATABASE: trueOrFalse.describe('`true`: create the database first (local runs and tests)'),
  MIGRATE_CREATE_ROLE: trueOrFalse.describe(
    '`true`: create `DATABASE_APP_ROLE` (LOGIN, no password) if missing; otherwise a missing role stops the migration',
  ),
});
