import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { JsonLogger } from '@abuse-monitor/observability';
import { limitHeapGrowth, runUntilSignalled } from '@abuse-monitor/runtime';
import { ingestEnvSchema } from './ingest.config';
import { IngestModule } from './ingest.module';

const config = loadConfigOrExit(ingestEnvSchema);
limitHeapGrowth(config.INGEST_HEAP_GROWING_PERCENT);
const logger = new JsonLogger('ingest', config.LOG_LEVEL);
Logger.overrideLogger(logger);
if (config.PROTECTED_NUMBERS.length > 0)
  // Once a refusal, now a seed: an operator who set it must learn that ingest no longer refuses.
  logger.warn(
    `PROTECTED_NUMBERS (${config.PROTECTED_NUMBERS.length} numbers) is deprecated and ignored by ingest: ` +
      'reports about them are accepted and flagged as probable spoofing; the migrate step adds them to ' +
      'the protected originators (GET /api/v1/protected-originators, decision 0057)',
    'IngestConfig',
  );

void runUntilSignalled('ingest', async () => {
  const app = await NestFactory.createApplicationContext(IngestModule.register(config), {
    logger,
  });
  await app.init();
  return app;
});
