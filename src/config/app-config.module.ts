import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';

/** Reads the validated configuration by key: `config.getOrThrow('personio', { infer: true })`. */
export type AppConfigService = ConfigService<AppConfig, true>;

/**
 * Nest's ConfigModule holding the configuration `loadConfig` validated. The environment was read
 * once, explicitly (tests and the bench build apps from their own env), so the module neither reads
 * `.env` nor falls back to `process.env`. `AppConfig` stays injectable as the same typed object.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validatePredefined: false,
          skipProcessEnv: true,
          load: [() => config],
        }),
      ],
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
