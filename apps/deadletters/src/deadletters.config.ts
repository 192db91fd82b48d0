import { z } from 'zod';
import { kafkaEnvShape } from '@abuse-monitor/config';

// Apart from main.ts, which runs the tool when loaded, so that docs/configuration.md can list it.
export const deadlettersEnvSchema = z.object(kafkaEnvShape);
