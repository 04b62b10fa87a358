import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Observable } from 'rxjs';

export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;
export const JSON_MAX_DEPTH = 32;
/**
 * Routes that read their own raw body and answer in their own order (PRODUCT.md §7: the Personio
 * webhook receiver takes at most 65,536 bytes and answers 413, then 401, then 400). The global
 * parser leaves their stream untouched; such a route reads it itself.
 */
export const RAW_BODY_PATH_PREFIXES = ['/api/v1/integrations/personio/webhooks/'];

const REJECTED_BODY = Symbol('rejectedJsonBody');
type BodyRequest = IncomingMessage & { body?: unknown; [REJECTED_BODY]?: BadRequestException };

function isJsonRequest(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0];
  if (RAW_BODY_PATH_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[^/]+\+json$/.test(mediaType);
}

/**
 * The app's one JSON body parser (Nest's default is switched off). Size is checked while reading
 * (413, and nothing beyond the limit is kept), nesting by a linear scan before JSON.parse, so
 * class-transformer never recurses through a hostile body. Malformed or too deep bodies are not
 * answered here: the request carries the 400 to RejectedBodyInterceptor, which runs after the
 * guards, so authentication is still checked first (a missing token gets 401, not 400).
 *
 * Named `jsonParser` so that Nest, should its default parser be left on, sees one registered.
 */
export function jsonBodyParser(): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  return function jsonParser(req: BodyRequest, _res: ServerResponse, next: (error?: unknown) => void): void {
    if (!isJsonRequest(req)) return next();
    readText(req, JSON_BODY_LIMIT_BYTES).then(
      (text) => {
        const parsed = parseJsonBody(text);
        if ('error' in parsed) req[REJECTED_BODY] = new BadRequestException(parsed.error);
        else req.body = parsed.value;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

/** The body as UTF-8 text, at most `limit` bytes; a larger body is read to its end and dropped, then refused. */
function readText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const charset = /charset\s*=\s*"?([^";]+)/i.exec(req.headers['content-type'] ?? '')?.[1].toLowerCase();
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    let refusal: HttpException | null = null;
    if (charset && charset !== 'utf-8' && charset !== 'utf8')
      refusal = new UnsupportedMediaTypeException('JSON bodies must be UTF-8');
    else if (encoding !== 'identity') refusal = new UnsupportedMediaTypeException('compressed bodies are not accepted');
    else if (Number(req.headers['content-length'] ?? 0) > limit) refusal = tooLarge(limit);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (refusal) return;
      size += chunk.length;
      if (size > limit) {
        refusal = tooLarge(limit);
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('end', () => (refusal ? reject(refusal) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

const tooLarge = (limit: number) => new PayloadTooLargeException(`request body must be at most ${limit} bytes (1 MB)`);

/** Parses a JSON object or array body, refusing nesting deeper than JSON_MAX_DEPTH without recursion. */
export function parseJsonBody(text: string): { value: unknown } | { error: string } {
  if (text.trim() === '') return { value: {} };
  const depth = maxNesting(text, JSON_MAX_DEPTH);
  if (depth > JSON_MAX_DEPTH) return { error: `body must not nest deeper than ${JSON_MAX_DEPTH} levels` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `body is not valid JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object') return { error: 'body must be a JSON object' };
  return { value };
}

/** Deepest nesting of objects/arrays outside strings; stops counting once past `stopAbove`. */
export function maxNesting(text: string, stopAbove: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest && (deepest = depth) > stopAbove) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** Answers the 400 that jsonBodyParser put aside, once the guards have let the request through. */
@Injectable()
export class RejectedBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rejection = context.switchToHttp().getRequest<BodyRequest>()[REJECTED_BODY];
    if (rejection) throw rejection;
    return next.handle();
  }
}
