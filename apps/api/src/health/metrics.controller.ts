import { Controller, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { Metrics } from '@abuse-monitor/observability';
import { defineEndpoint, Endpoint } from '../http/endpoint';
import { RawResponse } from '../http/validation.interceptor';

export const metricsEndpoint = defineEndpoint({
  operationId: 'metrics',
  method: 'get',
  path: '/metrics',
  tag: 'health',
  summary: 'Prometheus metrics of this API process (also on METRICS_PORT)',
  description:
    'Public, as Prometheus scrapes it without a token; no metric holds a phone number. The ranking ' +
    'of the most reported numbers is served on METRICS_PORT only, with the internal metrics.',
  permission: null,
  response: z.string(),
  alternativeMediaTypes: ['text/plain'],
});

@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Endpoint(metricsEndpoint)
  async metricsText(@Res({ passthrough: true }) res: Response) {
    res.type(this.metrics.contentType);
    return new RawResponse(await this.metrics.exposition(['topReported']));
  }
}
