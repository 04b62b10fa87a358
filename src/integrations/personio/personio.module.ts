import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { PersonioClient } from './client/personio-client.port';
import { PersonioHttpClient } from './client/personio-http.client';
import { PersonioCredentialService } from './credentials/personio-credential.service';
import { SecretCipher } from './credentials/secret-cipher';
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

/** Personio → awork absence sync. Reaches awork only through AworkHostPort (provided by the host). */
@Module({
  imports: [TypeOrmModule.forFeature([PersonioIntegration, SyncRun])],
  controllers: [PersonioSetupController],
  providers: [
    {
      provide: PersonioClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new PersonioHttpClient(
          {
            baseUrl: config.personio.baseUrl,
            requestTimeoutMs: config.personio.requestTimeoutMs,
            retry: {
              maxAttempts: config.personio.retryMaxAttempts,
              baseDelayMs: config.personio.retryBaseDelayMs,
              maxDelayMs: config.personio.retryMaxDelayMs,
              maxTotalMs: config.personio.retryMaxTotalMs,
            },
            appId: config.personio.appId,
            partnerId: config.personio.partnerId,
          },
          new Logger(),
        ),
    },
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
  ],
  exports: [PersonioSyncService, SyncClaimsService, PersonioSyncScheduler],
})
export class PersonioModule {}
