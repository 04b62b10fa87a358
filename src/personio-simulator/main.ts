import { PersonioSimulator } from './personio-simulator';

// Stand-alone demo: one seeded company on a fixed port, for trying the app by hand.
const DEMO_SEED = 20260601;
const DEMO_CREDENTIALS = { clientId: 'papi-demo-client-id', clientSecret: 'papi-demo-client-secret', scopes: ['personio:persons:read', 'personio:absences:read'] };

async function main(): Promise<void> {
  const port = Number(process.env.PERSONIO_SIMULATOR_PORT ?? 4010);
  const simulator = new PersonioSimulator();
  const thisYear = new Date().getUTCFullYear();
  const company = simulator.createCompany({
    id: 'demo',
    name: 'Demo GmbH',
    credentials: DEMO_CREDENTIALS,
    generate: { seed: DEMO_SEED, persons: 25, absencesPerPerson: 8, window: { start: `${thisYear}-01-01`, end: `${thisYear}-12-31` }, emailDomain: 'demo.example' },
  });
  const { baseUrl } = await simulator.start({ port, host: process.env.PERSONIO_SIMULATOR_HOST ?? '127.0.0.1' });
  process.stdout.write(
    [
      `Personio simulator listening on ${baseUrl}`,
      `demo company "${company.name}": ${company.persons} persons, ${company.absencePeriods} absence periods`,
      `client id:     ${DEMO_CREDENTIALS.clientId}`,
      `client secret: ${DEMO_CREDENTIALS.clientSecret}`,
      `admin API:     ${baseUrl}/_admin/companies`,
      '',
    ].join('\n'),
  );
  const shutdown = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
