import { z } from 'zod';
import { commonEnvShape, positiveInt, topicCreationEnvShape } from '@abuse-monitor/config';

// Apart from main.ts, which starts sending when loaded, so that docs/configuration.md can list it.
export const simulatorEnvSchema = z.object({
  ...commonEnvShape,
  SIMULATOR_RATE: positiveInt('messages per second').default(20).describe('simulated messages per second'),
  SIMULATOR_COUNT: z
    .string()
    .regex(/^\d+$/, { message: 'expected a whole number of messages (0 = until stopped)' })
    .transform(Number)
    .default(0)
    .describe('messages to send, then stop; 0: until stopped'),
  ...topicCreationEnvShape,
});
