import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { logLevelsUpTo, runUntilSignalled } from '@abuse-monitor/runtime';
import { ingestEnvSchema } from './ingest.config';
import { IngestModule } from './ingest.module';

const config = loadConfigOrExit(ingestEnvSchema);

void runUntilSignalled('ingest', async () => {
  const app = await NestFactory.createApplicationContext(IngestModule.register(config), {
    logger: logLevelsUpTo(config.LOG_LEVEL),
  });
  await app.init();
  return app;
});
