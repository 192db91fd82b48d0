import { Controller, Logger, OnModuleDestroy, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { BrokerProbe, Health } from '@abuse-monitor/observability';
import { pingDatabase } from '@abuse-monitor/persistence';
import { CachedAnswer, describeError, withTimeout } from '@abuse-monitor/runtime';
import { defineEndpoint, Endpoint } from '../http/endpoint';

const CHECK_TIMEOUT_MS = 3_000;
const READY_CACHE_MS = 1_000;

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
  description: 'The answer is worked out at most once a second and shared by everyone who asks meanwhile.',
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

type Readiness = { status: 'ready' | 'not_ready'; checks: { database: Check; broker: Check } };
type Check = z.input<typeof check>;

@Controller()
export class HealthController implements OnModuleDestroy {
  private readonly readiness = new CachedAnswer(() => this.check(), READY_CACHE_MS);

  /** The same probe as the other apps' metrics ports: one admin connection, kept between checks. */
  private readonly broker: BrokerProbe;

  constructor(
    private readonly dataSource: DataSource,
    kafka: Kafka,
    health: Health,
  ) {
    this.broker = new BrokerProbe(kafka);
    // The metrics port's /health/ready gives the same answer, from the same checks.
    for (const name of ['database', 'broker'] as const)
      health.register(name, async () => (await this.readiness.get()).checks[name]);
  }

  async onModuleDestroy(): Promise<void> {
    await this.broker.close();
  }

  @Endpoint(live)
  live() {
    return { status: 'ok' as const };
  }

  @Endpoint(ready)
  async ready(@Res({ passthrough: true }) res: Response) {
    const answer = await this.readiness.get();
    if (answer.status !== 'ready') res.status(503);
    return answer;
  }

  private async check(): Promise<Readiness> {
    const [database, broker] = await Promise.all([
      probe('database', async () => {
        await pingDatabase(this.dataSource);
        return 'answered';
      }),
      probe('broker', async () => (await this.broker.check()).detail),
    ]);
    const ok = database.ok && broker.ok;
    return { status: ok ? 'ready' : 'not_ready', checks: { database, broker } };
  }
}
