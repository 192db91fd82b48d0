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

void runUntilSignalled('ingest', async () => {
  const app = await NestFactory.createApplicationContext(IngestModule.register(config), {
    logger,
  });
  await app.init();
  return app;
});
