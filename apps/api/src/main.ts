import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { dirname } from 'node:path';
import express from 'express';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { JsonLogger, Metrics } from '@abuse-monitor/observability';
import { runUntilSignalled } from '@abuse-monitor/runtime';
import { apiConfigProblems, apiEnvSchema } from './api.config';
import { CONSOLE_PATH, consoleAssets } from './console/console-assets';
import { ApiModule } from './api.module';
import { DOCS_ASSETS_PATH } from './docs/docs.controller';
import { DOCS_POLICY, pageSecurityHeaders } from './http/page-security';
import { bodyParserProblems } from './http/problem.filter';
import { apiAnswerHeaders } from './http/api-answer-headers';
import { httpMetrics } from './http/http-metrics';
import { requestIdMiddleware } from './http/request-context';

const config = loadConfigOrExit(apiEnvSchema);
const problems = apiConfigProblems(config);
if (problems.length > 0) {
  process.stderr.write(`Invalid configuration: ${problems.join('; ')}\n`);
  process.exit(1);
}

const logger = new JsonLogger('api', config.LOG_LEVEL);
Logger.overrideLogger(logger);

void runUntilSignalled('api', async () => {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), {
    logger,
    bodyParser: false,
  });
  app.set('trust proxy', config.API_TRUST_PROXY);
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(apiAnswerHeaders([CONSOLE_PATH, '/docs']));
  app.use(httpMetrics(app.get(Metrics)));
  app.use('/docs', pageSecurityHeaders(DOCS_POLICY));
  app.use(
    DOCS_ASSETS_PATH,
    express.static(dirname(require.resolve('swagger-ui-dist/package.json')), { index: false, maxAge: '1h' }),
  );
  app.use(CONSOLE_PATH, ...consoleAssets(__dirname));
  app.use(express.json({ limit: config.API_MAX_BODY_BYTES, strict: true }));
  app.use(bodyParserProblems(new Logger('Problems')));
  await app.listen(config.API_PORT, config.API_HOST);
  new Logger('Api').log(
    `listening on http://${config.API_HOST}:${config.API_PORT} (OpenAPI at /docs, review console at ${CONSOLE_PATH}/)`,
  );
  return app;
});
