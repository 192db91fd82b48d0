import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '@abuse-monitor/observability';

/**
 * Requests by the documented route that answered (bounded: one value per endpoint, 'unmatched' for
 * the rest), method and status, with their duration. Measured when the response is finished, so
 * refusals by guards and parsers count too.
 */
export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = metrics.get('httpDuration').startTimer();
    res.on('finish', () => {
      const route = req.context?.route ?? 'unmatched';
      const method = req.method;
      stop({ route, method });
      metrics.get('httpRequests').inc({ route, method, status: String(res.statusCode) });
    });
    next();
  };
}
