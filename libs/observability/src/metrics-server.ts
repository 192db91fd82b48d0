import { createServer, Server } from 'node:http';
import type { Metrics } from './metrics';

/** Where metrics listen unless told otherwise: the local host only. */
export const LOOPBACK = '127.0.0.1';

/**
 * A plain HTTP listener for /metrics, apart from any API the app serves, so scraping needs no
 * token and keeps working when the app's own port is busy or absent.
 */
export class MetricsServer {
  private server: Server | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly port: number,
    private readonly host = LOOPBACK,
  ) {}

  start(): Promise<number> {
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
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
