import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { HostAuthModule } from '../../host/auth';
import { AworkHostModule } from '../../host/awork-host.module';
import { PersonioAlertsService } from './alerts/personio-alerts.service';
import { PersonioClientModule } from './client/personio-client.module';
import { PersonioCredentialService } from './credentials/personio-credential.service';
import { SecretCipher } from './credentials/secret-cipher';
import { PersonioDuplicatesController } from './duplicates/personio-duplicates.controller';
import { PersonioDuplicatesService } from './duplicates/personio-duplicates.service';
import { PersonioMatcherService } from './matching/personio-matcher.service';
import { PersonioIntegration } from './personio-integration.entity';
import { PersonioIntegrationStateService } from './personio-integration-state.service';
import { PersonioSetupController } from './setup/personio-setup.controller';
import { PersonioSetupService } from './setup/personio-setup.service';
import { AbsenceApplyService } from './sync/absence-apply.service';
import { PersonioSyncService } from './sync/personio-sync.service';
import { PersonioSyncScheduler } from './sync/personio-sync.scheduler';
import { StaleRunSweeper } from './sync/stale-run.sweeper';
import { SYNC_INSTANCE_ID, SyncClaimsService } from './sync/sync-claims.service';
import { SyncLeaseRepository } from './sync/sync-lease.repository';
import { SyncRun } from './sync/sync-run.entity';
import { SyncRunRecorder } from './sync/sync-run.recorder';
import { PersonMatchStore } from './matching/person-match.store';
import { PersonioPersonMatch } from './matching/personio-person-match.entity';
import { PersonLinkStore } from './matching/person-link.store';
import { PersonioPersonLink } from './matching/personio-person-link.entity';
import { PersonioLinksController } from './links/personio-links.controller';
import { PersonioLinksService } from './links/personio-links.service';
import { PersonioAbsenceTypesController } from './absence-types/personio-absence-types.controller';
import { PersonioAbsenceTypesService } from './absence-types/personio-absence-types.service';
import { PersonioWebhookEvent } from './webhooks/personio-webhook-event.entity';
import { PersonioWebhookReceiverService } from './webhooks/personio-webhook-receiver.service';
import { WebhookTokenCache } from './webhooks/webhook-token.cache';
import { PersonioWebhookSubscriptionService } from './webhooks/personio-webhook-subscription.service';
import { PersonioWebhookController } from './webhooks/personio-webhook.controller';
import { WebhookEventStore } from './webhooks/webhook-event.store';
import { WebhookEventsProcessor } from './webhooks/webhook-events.processor';

/**
 * Personio → awork absence sync. Reaches awork only through what it imports from the host:
 * AworkHostPort (AworkHostModule) and authentication (HostAuthModule).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      PersonioIntegration,
      SyncRun,
      PersonioWebhookEvent,
      PersonioPersonMatch,
      PersonioPersonLink,
    ]),
    HostAuthModule,
    AworkHostModule,
    PersonioClientModule,
  ],
  controllers: [
    PersonioSetupController,
    PersonioDuplicatesController,
    PersonioLinksController,
    PersonioAbsenceTypesController,
    PersonioWebhookController,
  ],
  providers: [
    {
      provide: SecretCipher,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new SecretCipher(config.credentialsKey, config.credentialsPreviousKeys),
    },
    { provide: SYNC_INSTANCE_ID, useFactory: () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}` },
    PersonioCredentialService,
    PersonioIntegrationStateService,
    PersonioMatcherService,
    SyncClaimsService,
    AbsenceApplyService,
    PersonioSyncService,
    PersonioSetupService,
    SyncRunRecorder,
    SyncLeaseRepository,
    PersonioSyncScheduler,
    StaleRunSweeper,
    PersonMatchStore,
    PersonLinkStore,
    PersonioLinksService,
    PersonioAbsenceTypesService,
    WebhookEventStore,
    PersonioWebhookSubscriptionService,
    PersonioWebhookReceiverService,
    WebhookTokenCache,
    WebhookEventsProcessor,
    PersonioDuplicatesService,
    PersonioAlertsService,
  ],
  exports: [PersonioSyncService, SyncClaimsService, PersonioSyncScheduler, WebhookEventsProcessor],
})
export class PersonioModule {}
