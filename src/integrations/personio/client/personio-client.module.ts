import { HttpModule, HttpService } from '@nestjs/axios';
import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PersonioClientSettings } from '../../../config/app-config';
import { AppConfigService } from '../../../config/app-config.module';
import { PersonioClientConfig, resolvePersonioClientConfig } from './personio-client.config';
import { PersonioClient } from './personio-client.port';
import { PersonioHttpClient } from './personio-http.client';
import { personioHttpOptions } from './personio-http.options';

export function personioClientConfig(settings: PersonioClientSettings): PersonioClientConfig {
  return {
    baseUrl: settings.baseUrl,
    requestTimeoutMs: settings.requestTimeoutMs,
    retry: {
      maxAttempts: settings.retryMaxAttempts,
      baseDelayMs: settings.retryBaseDelayMs,
      maxDelayMs: settings.retryMaxDelayMs,
      maxTotalMs: settings.retryMaxTotalMs,
    },
    appId: settings.appId,
    partnerId: settings.partnerId,
  };
}

const personioSettings = (config: AppConfigService) => config.getOrThrow('personio', { infer: true });

/** The Personio client over Nest's HttpModule, configured from the validated `personio` settings. */
@Module({
  imports: [
    HttpModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfigService) =>
        personioHttpOptions(resolvePersonioClientConfig(personioClientConfig(personioSettings(config)))),
    }),
  ],
  providers: [
    {
      provide: PersonioClient,
      inject: [HttpService, ConfigService],
      useFactory: (http: HttpService, config: AppConfigService) =>
        new PersonioHttpClient(http, personioClientConfig(personioSettings(config)), new Logger()),
    },
  ],
  exports: [PersonioClient],
})
export class PersonioClientModule {}
