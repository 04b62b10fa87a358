import { LoggerService } from '@nestjs/common';
import { Temporal } from 'temporal-polyfill';
import { AppConfig } from '../config/app-config';
import { PersonioSimulator } from '../personio-simulator';
import {
  buildDemoCompany,
  DEMO_COMPANY_ID,
  DEMO_COMPANY_NAME,
  DEMO_CREDENTIALS,
  DEMO_TIME_ZONE,
  DemoUser,
} from './demo-company';

export interface DemoPersonio {
  simulator: PersonioSimulator;
  baseUrl: string;
  aworkUsers: DemoUser[];
}

/**
 * Demo mode: the bundled Personio simulator, in this process on a random loopback port, seeded with
 * the demo company. Points the Personio client at it by changing the config before the app is built.
 */
export async function startDemoPersonio(config: AppConfig, logger: LoggerService): Promise<DemoPersonio> {
  const simulator = new PersonioSimulator();
  const company = buildDemoCompany(Temporal.Now.plainDateISO(DEMO_TIME_ZONE));
  const summary = simulator.createCompany({
    id: DEMO_COMPANY_ID,
    name: DEMO_COMPANY_NAME,
    credentials: { ...DEMO_CREDENTIALS },
    persons: company.persons,
    absenceTypes: company.absenceTypes,
    absencePeriods: company.absencePeriods,
  });
  const { baseUrl } = await simulator.start({ port: 0, host: '127.0.0.1' });
  config.personio.baseUrl = baseUrl;
  logger.log(
    `Demo mode: Personio simulator on ${baseUrl} with "${summary.name}" (${summary.persons} persons, ${summary.absencePeriods} absence periods)`,
    'Demo',
  );
  return { simulator, baseUrl, aworkUsers: company.aworkUsers };
}
