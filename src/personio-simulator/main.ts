import { PersonioSimulator } from './personio-simulator';

/**
 * Stand-alone simulator. Plain `npm run personio:simulator`: one seeded demo company on port 4010, for
 * trying the app by hand. For other processes (the bench) the same entry point takes, as flags or env:
 *   --port=N            PERSONIO_SIMULATOR_PORT       default 4010; 0 = a free random port
 *   --host=H            PERSONIO_SIMULATOR_HOST       default 127.0.0.1
 *   --no-demo           PERSONIO_SIMULATOR_SEED_DEMO=false   start empty (companies come over /_admin)
 * Once listening it prints one machine-readable line `PERSONIO_SIMULATOR_READY <baseUrl>` on stdout.
 * Started with an IPC channel (child_process.fork / spawn with 'ipc'), it exits when its parent goes away.
 */
const DEMO_SEED = 20260601;
const DEMO_CREDENTIALS = {
  clientId: 'papi-demo-client-id',
  clientSecret: 'papi-demo-client-secret',
  scopes: ['personio:persons:read', 'personio:absences:read', 'personio:webhooks:read', 'personio:webhooks:write'],
};
const READY_PREFIX = 'PERSONIO_SIMULATOR_READY';

interface Options {
  port: number;
  host: string;
  seedDemo: boolean;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const flags = new Map(
    argv
      .filter((arg) => arg.startsWith('--'))
      .map((arg) => [arg.slice(2).split('=')[0], arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : 'true']),
  );
  const portText = flags.get('port') ?? env.PERSONIO_SIMULATOR_PORT ?? '4010';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`invalid port ${portText}`);
  const seedDemoText = flags.has('no-demo')
    ? 'false'
    : (flags.get('seed-demo') ?? env.PERSONIO_SIMULATOR_SEED_DEMO ?? 'true');
  if (!['true', 'false', '1', '0'].includes(seedDemoText.toLowerCase()))
    throw new Error(`PERSONIO_SIMULATOR_SEED_DEMO must be true or false (got ${seedDemoText})`);
  return {
    port,
    host: flags.get('host') ?? env.PERSONIO_SIMULATOR_HOST ?? '127.0.0.1',
    seedDemo: ['true', '1'].includes(seedDemoText.toLowerCase()),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const simulator = new PersonioSimulator();
  const lines: string[] = [];
  const { baseUrl } = await simulator.start({ port: options.port, host: options.host });
  lines.push(`Personio simulator listening on ${baseUrl}`);
  if (options.seedDemo) {
    const thisYear = new Date().getUTCFullYear();
    const company = simulator.createCompany({
      id: 'demo',
      name: 'Demo GmbH',
      credentials: DEMO_CREDENTIALS,
      generate: {
        seed: DEMO_SEED,
        persons: 25,
        absencesPerPerson: 8,
        window: { start: `${thisYear}-01-01`, end: `${thisYear}-12-31` },
        emailDomain: 'demo.example',
      },
    });
    lines.push(
      `demo company "${company.name}": ${company.persons} persons, ${company.absencePeriods} absence periods`,
      `client id:     ${DEMO_CREDENTIALS.clientId}`,
      `client secret: ${DEMO_CREDENTIALS.clientSecret}`,
    );
  } else {
    lines.push('no demo company (create companies over the admin API)');
  }
  lines.push(`admin API:     ${baseUrl}/_admin/companies`, `${READY_PREFIX} ${baseUrl}`, '');
  process.stdout.write(lines.join('\n'));

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void simulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (process.connected) process.once('disconnect', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
