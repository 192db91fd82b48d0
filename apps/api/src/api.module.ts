import { kafkaClientSettings } from '@abuse-monitor/config';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { ObservabilityModule } from '@abuse-monitor/observability';
import { KafkaModule, topicNames, TOPICS_TO_ENSURE, TopicsBootstrapService } from '@abuse-monitor/messaging';
import {
  DatabaseModule,
  OUTBOX_RELAY_OPTIONS,
  OutboxRelayService,
  PersistenceModule,
} from '@abuse-monitor/persistence';
import type { ApiConfig } from './api.config';
import { API_CONFIG, API_TOPICS } from './api.tokens';
import { AllowlistController } from './allowlist/allowlist.controller';
import { AllowlistService } from './allowlist/allowlist.service';
import { ProtectedOriginatorsController } from './protected-originators/protected-originators.controller';
import { ProtectedOriginatorsService } from './protected-originators/protected-originators.service';
import { AppealsController } from './appeals/appeals.controller';
import { AppealsService } from './appeals/appeals.service';
import { AuditController } from './audit/audit.controller';
import { CampaignCommandsService } from './campaigns/campaign-commands.service';
import { CampaignRulesController } from './campaigns/campaign-rules.controller';
import { CampaignsController } from './campaigns/campaigns.controller';
import { AuthGuard, PermissionGuard } from './auth/auth.guard';
import { DocsController } from './docs/docs.controller';
import { FlagCommandsService } from './flags/flag-commands.service';
import { FlagQueueController } from './flags/flag-queue.controller';
import { FlagQueueService } from './flags/flag-queue.service';
import { FlagReadsService } from './flags/flag-reads.service';
import { FlagsController } from './flags/flags.controller';
import { HealthController } from './health/health.controller';
import { MeController } from './me/me.controller';
import { MetricsController } from './health/metrics.controller';
import { ProblemFilter } from './http/problem.filter';
import { ValidationInterceptor } from './http/validation.interceptor';
import { ReportersController } from './reporters/reporters.controller';
import { ReportersService } from './reporters/reporters.service';
import { HeldSubmissionsController } from './reports/held-submissions.controller';
import { HeldSubmissionsService } from './reports/held-submissions.service';
import { ReportsController } from './reports/reports.controller';
import { RulesController } from './rules/rules.controller';
import { RulePreviewService } from './rules/rule-preview.service';
import { RulesService } from './rules/rules.service';
import { ActivityController } from './subscribers/activity.controller';
import { SubscribersController } from './subscribers/subscribers.controller';
import { SummariesController } from './summaries/summaries.controller';
import { TokensController } from './tokens/tokens.controller';
import { DecisionsController } from './flags/decisions.controller';
import { SessionController } from './session/session.controller';
import { TeamController } from './team/team.controller';

@Module({})
export class ApiModule {
  static register(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'abuse-monitor-api' }),
        PersistenceModule,
        KafkaModule.forRoot(kafkaClientSettings(config, 'api')),
        ObservabilityModule.forRoot({
          app: 'api',
          metricsPort: config.METRICS_PORT,
          metricsHost: config.METRICS_HOST,
          gauges: { flags: true, outbox: true, campaigns: true, appeals: true },
          dependencyChecks: false,
        }),
        ThrottlerModule.forRoot({
          // Named 'default' so the throttler sends the plain Retry-After (and X-RateLimit-*) headers,
          // not ones suffixed with the throttler's name.
          throttlers: [{ name: 'default', ttl: 60_000, limit: config.API_RATE_LIMIT_PER_MINUTE }],
          // Runs after AuthGuard: counted per token, or per address for what needs none.
          getTracker: (req: Record<string, unknown>) => {
            const request = req as unknown as Request;
            return request.context?.principal?.id ?? request.ip ?? 'unknown';
          },
          // One count per token across all endpoints (the default key counts each endpoint apart).
          generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
        }),
      ],
      controllers: [
        HealthController,
        MetricsController,
        DocsController,
        MeController,
        // Before FlagsController: /flags/due-soon would otherwise reach GET /flags/{id}.
        FlagQueueController,
        FlagsController,
        CampaignsController,
        CampaignRulesController,
        SubscribersController,
        ActivityController,
        RulesController,
        AllowlistController,
        ProtectedOriginatorsController,
        ReportersController,
        ReportsController,
        HeldSubmissionsController,
        AuditController,
        TokensController,
        SummariesController,
        SessionController,
        DecisionsController,
        TeamController,
        AppealsController,
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: API_TOPICS, useValue: topicNames(config.KAFKA_TOPIC_PREFIX) },
        { provide: OUTBOX_RELAY_OPTIONS, useValue: { pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS } },
        // Guards run in this order: who is asking, how often they have asked (refused calls count
        // too, or probing what a token may do would be free), then whether they may.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: PermissionGuard },
        { provide: APP_INTERCEPTOR, useClass: ValidationInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
        OutboxRelayService,
        FlagCommandsService,
        CampaignCommandsService,
        FlagReadsService,
        FlagQueueService,
        AllowlistService,
        ProtectedOriginatorsService,
        RulesService,
        RulePreviewService,
        ReportersService,
        HeldSubmissionsService,
        AppealsService,
        {
          provide: TOPICS_TO_ENSURE,
          useValue: [
            topicNames(config.KAFKA_TOPIC_PREFIX).submitted,
            topicNames(config.KAFKA_TOPIC_PREFIX).subscriberFlags,
            topicNames(config.KAFKA_TOPIC_PREFIX).subscriberCampaigns,
          ].map((topic) => ({
            topic,
            numPartitions: config.KAFKA_TOPIC_PARTITIONS,
            retentionMs: config.KAFKA_TOPIC_RETENTION,
          })),
        },
        TopicsBootstrapService,
      ],
    };
  }
}
