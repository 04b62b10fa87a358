import { createServer, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** What a receiver does with one request: answer with a status, or keep it open until released. */
export type ReceiverAnswer = number | 'hang';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body as it arrived. */
  rawBody: string;
  /** The parsed body, or undefined when it was not JSON. */
  body: unknown;
  answer: ReceiverAnswer;
}

/**
 * A loopback HTTP server standing in for a webhook endpoint: it records every request and answers
 * from a script (`answerNext`), 202 when the script is empty. A `hang` answer keeps the request open
 * until `releaseHung` (or until the sender gives up), so a test can prove the sender did not wait.
 */
export class WebhookReceiver {
  readonly received: ReceivedRequest[] = [];
  private readonly script: ReceiverAnswer[] = [];
  private readonly hung = new Set<ServerResponse>();
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  private server: Server | null = null;
  private origin = '';

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const answer = this.script.shift() ?? 202;
        this.received.push({ path: req.url ?? '/', headers: req.headers, rawBody, body: parseJson(rawBody), answer });
        if (answer === 'hang') {
          this.hung.add(res);
          res.on('close', () => this.hung.delete(res));
        } else {
          res.writeHead(answer).end();
        }
        this.notify();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.origin;
  }

  url(path = '/hooks'): string {
    return `${this.origin}${path}`;
  }

  /** The answers for the next requests, in order; afterwards 202 again. */
  answerNext(...answers: ReceiverAnswer[]): void {
    this.script.push(...answers);
  }

  /** Resolves once `count` requests in all have arrived. */
  whenReceived(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Answers every request kept open by a `hang` answer. */
  releaseHung(status = 202): void {
    for (const res of this.hung) res.writeHead(status).end();
    this.hung.clear();
  }

  reset(): void {
    this.received.length = 0;
    this.script.length = 0;
    this.releaseHung();
  }

  async stop(): Promise<void> {
    this.releaseHung();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private notify(): void {
    const waiting = this.waiters;
    this.waiters = waiting.filter((waiter) => this.received.length < waiter.count);
    for (const waiter of waiting) if (this.received.length >= waiter.count) waiter.resolve();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
