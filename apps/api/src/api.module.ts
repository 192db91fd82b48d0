import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { KafkaModule, topicNames } from '@abuse-monitor/messaging';
import { DatabaseModule, OUTBOX_RELAY_OPTIONS, OutboxRelayService } from '@abuse-monitor/persistence';
import type { ApiConfig } from './api.config';
import { API_CONFIG, API_TOPICS } from './api.tokens';
import { AllowlistController } from './allowlist/allowlist.controller';
import { AuditController } from './audit/audit.controller';
import { AuthGuard } from './auth/auth.guard';
import { DocsController } from './docs/docs.controller';
import { FlagCommandsService } from './flags/flag-commands.service';
import { FlagsController } from './flags/flags.controller';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { ValidationInterceptor } from './http/validation.interceptor';
import { ReportersController } from './reporters/reporters.controller';
import { ReportsController } from './reports/reports.controller';
import { RulesController } from './rules/rules.controller';
import { SubscribersController } from './subscribers/subscribers.controller';
import { TokensController } from './tokens/tokens.controller';
import { TopicsBootstrapService } from './topics-bootstrap.service';

@Module({})
export class ApiModule {
  static register(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'abuse-monitor-api' }),
        KafkaModule.forRoot({ brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-api` }),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'per-token', ttl: 60_000, limit: config.API_RATE_LIMIT_PER_MINUTE }],
          // Runs after AuthGuard: counted per token, or per address for what needs none.
          getTracker: (req: Record<string, unknown>) => {
            const request = req as unknown as Request;
            return request.context?.principal?.id ?? request.ip ?? 'unknown';
          },
        }),
      ],
      controllers: [
        HealthController,
        DocsController,
        FlagsController,
        SubscribersController,
        RulesController,
        AllowlistController,
        ReportersController,
        ReportsController,
        AuditController,
        TokensController,
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: API_TOPICS, useValue: topicNames(config.KAFKA_TOPIC_PREFIX) },
        { provide: OUTBOX_RELAY_OPTIONS, useValue: { pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS } },
        // Guards run in this order: who is asking, then how often they have asked.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: ValidationInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
        OutboxRelayService,
        FlagCommandsService,
        TopicsBootstrapService,
      ],
    };
  }
}
