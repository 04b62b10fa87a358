import { INestApplication, Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Same-origin only: the page loads nothing from elsewhere and talks to nothing but this app's API.
 * `frame-ancestors 'none'` keeps the signed-in page out of other sites' frames.
 */
export const WEB_APP_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The built page (`npm run build:web` writes web/dist), found from here both under src/ (tests) and dist/src/. */
export function webAppDirectory(from = __dirname): string | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) {
      const built = join(directory, 'web', 'dist');
      return existsSync(join(built, 'index.html')) ? built : undefined;
    }
    if (dirname(directory) === directory) return undefined;
  }
}

/** Serves the settings page and team calendar at `/`, beside the API under /api/v1. */
export function serveWebApp(app: INestApplication, directory = webAppDirectory()): void {
  if (!directory) {
    Logger.warn('The web page is not built (npm run build:web); / answers 404', 'WebApp');
    return;
  }
  (app as NestExpressApplication).useStaticAssets(directory, {
    index: 'index.html',
    // Small files, rebuilt in place: the browser revalidates each load (ETag), so a new build shows at once.
    maxAge: 0,
    setHeaders: (response) => {
      response.setHeader('Content-Security-Policy', WEB_APP_CONTENT_SECURITY_POLICY);
      response.setHeader('X-Content-Type-Options', 'nosniff');
      response.setHeader('Referrer-Policy', 'no-referrer');
    },
  });
}
