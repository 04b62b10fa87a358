import { IncomingMessage, ServerResponse } from 'node:http';
import { decodeCursor } from './list-query';
import { ClientIdentity } from './request-stats';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = status >= 400 ? 'application/problem+json' : 'application/json',
): void {
  if (res.destroyed || res.headersSent) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** How the client identified itself (Personio asks for `X-Personio-App-ID`, partners add `X-Personio-Partner-ID`). */
export function identityOf(req: IncomingMessage): ClientIdentity {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  return { appId: header('x-personio-app-id'), partnerId: header('x-personio-partner-id') };
}

export function pageNumberOf(params: URLSearchParams): number {
  const cursor = params.get('cursor');
  if (cursor === null) return 1;
  try {
    return decodeCursor(cursor).page;
  } catch {
    return 1;
  }
}
