import { PayloadTooLargeException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/** The request body as bytes, at most `limit`; a larger one is read to its end and dropped, then refused (413). */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('end', () =>
      tooLarge
        ? reject(new PayloadTooLargeException(`request body must be at most ${limit} bytes`))
        : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}
