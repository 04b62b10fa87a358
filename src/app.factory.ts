import { INestApplication, LoggerService } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from './config/app-config';
import { AppModule } from './app.module';
import { AppValidationPipe } from './common/http/app-validation.pipe';
import { DatabaseErrorFilter } from './common/http/database-error.filter';
import { jsonBodyParser, RejectedBodyInterceptor } from './common/http/json-body';
import { serveWebApp } from './web-app/serve-web-app';

export const API_PREFIX = 'api/v1';

/** Builds the application exactly as production runs it; tests and the demo use the same path. */
export async function createApp(
  config: AppConfig,
  options: { logger?: LoggerService | false } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: options.logger ?? undefined,
    abortOnError: false,
    // configureApp installs the app's own JSON parser (size and depth limits, raw-body routes).
    bodyParser: false,
  });
  configureApp(app);
  return app;
}

export function configureApp(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health'] });
  serveWebApp(app);
  // Order per request: JSON parser (413 at once) → guards (401/403) → RejectedBodyInterceptor
  // (400 for a malformed or too deep body) → AppValidationPipe (400 naming the field) → handler.
  app.use(jsonBodyParser());
  app.useGlobalInterceptors(new RejectedBodyInterceptor());
  app.useGlobalPipes(new AppValidationPipe());
  app.useGlobalFilters(new DatabaseErrorFilter(app.get(HttpAdapterHost).httpAdapter));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('awork host + Personio absence sync')
      .setDescription('The Personio → awork absence sync module, mounted in a thin stand-in for the awork backend.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
