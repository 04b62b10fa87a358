import type { HttpModuleOptions, HttpService } from '@nestjs/axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { ResolvedPersonioClientConfig } from './personio-client.config';

const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

/**
 * The axios defaults behind the client's `HttpService`: keep-alive agents, the identifying headers,
 * the per-attempt timeout, and every status handed back (the client maps them, axios never throws on one).
 */
export function personioHttpOptions(config: ResolvedPersonioClientConfig): HttpModuleOptions {
  // Personio asks every integration to identify itself on every request, the token request included.
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Personio-App-ID': config.appId };
  if (config.partnerId) headers['X-Personio-Partner-ID'] = config.partnerId;
  return {
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: config.maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: config.maxSockets }),
    headers,
    timeout: config.requestTimeoutMs,
    validateStatus: () => true,
    maxRedirects: 0,
    maxContentLength: MAX_RESPONSE_BYTES,
    responseType: 'json',
    transitional: { clarifyTimeoutError: true },
  };
}

/** Closes the keep-alive sockets the options above opened. */
export function destroyAgents(http: HttpService): void {
  const { httpAgent, httpsAgent } = http.axiosRef.defaults as { httpAgent?: HttpAgent; httpsAgent?: HttpsAgent };
  httpAgent?.destroy();
  httpsAgent?.destroy();
}
