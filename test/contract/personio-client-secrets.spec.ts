import { format } from 'node:util';
import { PersonioHttpClient } from '../../src/integrations/personio/client/personio-http.client';
import { PersonioSimulator } from '../../src/personio-simulator';
import { collectPages, fastClientConfig, person } from './personio-contract.support';

const SECRET = 'sk-live-7f3b2c9e-DO-NOT-LOG';
const WRONG_SECRET = 'sk-wrong-a1b2c3d4-DO-NOT-LOG';

describe('PersonioHttpClient never leaks secrets', () => {
  it('keeps the client secret and every access token out of logs, console output and thrown errors', async () => {
    const sim = new PersonioSimulator();
    const { baseUrl } = await sim.start();
    const company = sim.createCompany({
      id: 'secretive',
      credentials: { clientId: 'secretive-client', clientSecret: SECRET },
      persons: [1, 2, 3, 4, 5].map((id) => person(id)),
    });

    const output: string[] = [];
    const capture =
      (level: string) =>
      (...args: unknown[]) => {
        output.push(`${level} ${format(...args)}`);
      };
    const logger = {
      log: capture('log'),
      warn: capture('warn'),
      error: capture('error'),
      debug: capture('debug'),
      verbose: capture('verbose'),
    };
    const spies = [
      jest
        .spyOn(process.stdout, 'write')
        .mockImplementation((chunk: string | Uint8Array) => (output.push(String(chunk)), true)),
      jest
        .spyOn(process.stderr, 'write')
        .mockImplementation((chunk: string | Uint8Array) => (output.push(String(chunk)), true)),
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
        jest.spyOn(console, method).mockImplementation(capture(`console.${method}`)),
      ),
    ];
    const errors: unknown[] = [];
    const tokensSeen = new Set<string>();
    const rememberTokens = () => sim.issuedTokens(company.id).forEach((token) => tokensSeen.add(token));
    const client = PersonioHttpClient.create(fastClientConfig(baseUrl, { pageSize: { persons: 2 } }), logger);

    try {
      await client
        .verifyCredentials({ clientId: 'secretive-client', clientSecret: WRONG_SECRET })
        .catch((e: unknown) => errors.push(e));
      const credentials = { clientId: 'secretive-client', clientSecret: SECRET };
      sim.failPage({ endpoint: '/v2/persons', page: 2, status: 500, times: 1 }, company.id);
      sim.resetConnection({ endpoint: '/v2/persons', page: 3, times: 1 }, company.id);
      await collectPages(client.listPersons(credentials));
      rememberTokens();
      sim.revokeTokens(company.id);
      await collectPages(client.listPersons(credentials));
      rememberTokens();
      sim.failPage({ endpoint: '/v2/persons', page: 2, status: 502 }, company.id);
      await collectPages(client.listPersons(credentials)).catch((e: unknown) => errors.push(e));
      sim.clearFaults(company.id);
      sim.rejectCredentials(true, company.id);
      await client
        .verifyCredentials({ clientId: 'secretive-client', clientSecret: `${SECRET}-rotated` })
        .catch((e: unknown) => errors.push(e));
      rememberTokens();
    } finally {
      spies.forEach((spy) => spy.mockRestore());
      client.close();
      await sim.stop();
    }

    expect(errors).toHaveLength(3);
    expect(tokensSeen.size).toBe(2);
    expect(output.some((line) => line.includes('/v2/persons page=2'))).toBe(true);
    const thrown = errors.map((e) =>
      [String(e), (e as Error).message, (e as Error).stack ?? '', JSON.stringify(e)].join('\n'),
    );
    const haystack = [...output, ...thrown].join('\n');
    for (const secret of [SECRET, WRONG_SECRET, ...tokensSeen]) {
      expect(haystack).not.toContain(secret);
    }
    expect(haystack).not.toMatch(/Bearer\s+papi-/);
    expect(haystack).not.toMatch(/authorization/i);
  });
});
