import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.factory';
import { ConfigValidationError, loadConfig } from './config/app-config';
import { DEMO_CREDENTIALS } from './demo/demo-company';
import { startDemoMode } from './demo/demo-mode';
import { createAppLogger } from './logging/app-logger';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createAppLogger(config, config.demo ? [DEMO_CREDENTIALS.clientSecret] : []);
  Logger.overrideLogger(logger);
  if (config.isProduction && config.publicBaseUrl && !config.publicBaseUrl.startsWith('https://'))
    logger.warn(
      `PUBLIC_BASE_URL ${config.publicBaseUrl} is not https://: Personio delivers webhooks only to HTTPS addresses in production`,
      'Bootstrap',
    );

  const demo = config.demo ? await startDemoMode(config, logger) : undefined;
  const app = await createApp(config, { logger });
  await app.listen(config.port, '0.0.0.0');
  if (config.publicBaseUrlIsLoopbackDefault)
    config.publicBaseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  // test/support/app-process.ts waits for this line, in both log formats.
  logger.log(
    `Listening on ${await app.getUrl()} (database: ${config.databaseUrl ? 'PostgreSQL' : config.sqlitePath})`,
    'Bootstrap',
  );

  if (demo) {
    try {
      await demo.afterListen(app);
    } catch (error) {
      logger.error(`Demo set-up failed: ${(error as Error).message}`, (error as Error).stack, 'Demo');
    }
  }
}

void bootstrap();
