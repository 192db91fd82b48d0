import { Controller, Logger, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { describeError, withTimeout } from '@abuse-monitor/runtime';
import { defineEndpoint, Endpoint } from '../http/endpoint';

const CHECK_TIMEOUT_MS = 3_000;

const check = z.object({ ok: z.boolean(), detail: z.string() });

export const live = defineEndpoint({
  operationId: 'live',
  method: 'get',
  path: '/health/live',
  tag: 'health',
  summary: 'The process answers (for restarts)',
  permission: null,
  response: z.object({ status: z.literal('ok') }),
});

export const ready = defineEndpoint({
  operationId: 'ready',
  method: 'get',
  path: '/health/ready',
  tag: 'health',
  summary: 'The database and the broker answer (for routing traffic); 503 when one does not',
  permission: null,
  response: z.object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({ database: check, broker: check }),
  }),
});

const logger = new Logger('Health');

/** Anyone may ask: the answer says what is down, the log says why (hosts and errors stay inside). */
async function probe(what: string, work: () => Promise<string>): Promise<z.input<typeof check>> {
  try {
    return { ok: true, detail: await withTimeout(work(), CHECK_TIMEOUT_MS, what) };
  } catch (error) {
    logger.warn(`${what} is not ready: ${describeError(error)}`);
    return { ok: false, detail: `${what} unreachable` };
  }
}

@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
  ) {}

  @Endpoint(live)
  live() {
    return { status: 'ok' as const };
  }

  @Endpoint(ready)
  async ready(@Res({ passthrough: true }) res: Response) {
    const [database, broker] = await Promise.all([
      probe('database', async () => {
        await this.dataSource.query('SELECT 1');
        return 'answered';
      }),
      probe('broker', async () => {
        const admin = this.kafka.admin();
        try {
          await admin.connect();
          const cluster = await admin.describeCluster();
          return `${cluster.brokers.length} broker(s)`;
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
      }),
    ]);
    const ok = database.ok && broker.ok;
    if (!ok) res.status(503);
    return { status: ok ? ('ready' as const) : ('not_ready' as const), checks: { database, broker } };
  }
}
