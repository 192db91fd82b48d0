import { createServer, Server, ServerResponse } from 'node:http';
import type { Readiness } from './health/readiness';
import type { Metrics } from './metrics';

/** Where metrics listen unless told otherwise: the local host only. */
export const LOOPBACK = '127.0.0.1';

/**
 * A plain HTTP listener for /metrics, /health/live and /health/ready, apart from any API the app
 * serves, so scraping and probes need no token and keep working when the app's own port is busy or
 * absent. Live answers from the event loop alone and never asks a dependency (decision 0034): a
 * broker outage must not get every pod restarted. Ready says which check fails, with 503.
 */
export class MetricsServer {
  private server: Server | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly port: number,
    private readonly host = LOOPBACK,
    private readonly health: { ready(): Promise<Readiness> } | null = null,
  ) {}

  start(): Promise<number> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && path === '/health/live') {
        json(res, 200, { status: 'ok' });
        return;
      }
      if (req.method === 'GET' && path === '/health/ready') {
        const health = this.health ?? {
          ready: async (): Promise<Readiness> => ({ status: 'ready', checks: {} }),
        };
        health.ready().then(
          (answer) => json(res, answer.status === 'ready' ? 200 : 503, answer),
          () => json(res, 503, { status: 'not_ready', checks: {} }),
        );
        return;
      }
      if (req.method !== 'GET' || path !== '/metrics') {
        res
          .writeHead(404, { 'content-type': 'text/plain' })
          .end('only GET /metrics, /health/live and /health/ready here\n');
        return;
      }
      this.metrics.exposition().then(
        (text) => res.writeHead(200, { 'content-type': this.metrics.contentType }).end(text),
        (error: unknown) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`),
      );
    });
    const server = this.server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : this.port);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}
