import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { JsonLogger } from '@abuse-monitor/observability';
import { limitHeapGrowth, runUntilSignalled } from '@abuse-monitor/runtime';
import { aggregatorEnvSchema } from './aggregator.config';
import { AggregatorModule } from './aggregator.module';

const config = loadConfigOrExit(aggregatorEnvSchema);
limitHeapGrowth(config.AGGREGATOR_HEAP_GROWING_PERCENT);
const logger = new JsonLogger('aggregator', config.LOG_LEVEL);
Logger.overrideLogger(logger);

void runUntilSignalled('aggregator', async () => {
  const app = await NestFactory.createApplicationContext(AggregatorModule.register(config), {
    logger,
  });
  await app.init();
  return app;
});
