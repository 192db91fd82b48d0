import { z } from 'zod';
import { positiveInt } from '@abuse-monitor/config';

// Apart from main.ts, which runs the tool when loaded, so that docs/configuration.md can list it.
// The tool parses as intake does: the same variables, meant the same way (apps/ingest/src/ingest.config.ts).
export const parseEnvSchema = z.object({
  REPORT_MAX_LENGTH: positiveInt('characters of a report text before it is rejected as too long')
    .default(480)
    .describe('characters of a report text before it is rejected as too long'),
});
