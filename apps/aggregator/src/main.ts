import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { logLevelsUpTo, runUntilSignalled } from '@abuse-monitor/runtime';
import { aggregatorEnvSchema } from './aggregator.config';
import { AggregatorModule } from './aggregator.module';

const config = loadConfigOrExit(aggregatorEnvSchema);

void runUntilSignalled('aggregator', async () => {
  const app = await NestFactory.createApplicationContext(AggregatorModule.register(config), {
    logger: logLevelsUpTo(config.LOG_LEVEL),
  });
  await app.init();
  return app;
});
