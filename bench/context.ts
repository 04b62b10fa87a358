/**
 * What the bench's parts share: the scales, the running database's handles (Bench) and the correctness checks.
 */
import { DataSource } from 'typeorm';
import { PersonioCredentialService } from '../src/integrations/personio/credentials/personio-credential.service';
import { AppProcess } from './app-process-client';
import { SimulatorAdminClient } from './simulator-admin-client';

export type DbKind = 'postgres' | 'sqlite';
export type Scale = 'full' | 'small';

export const SCALES: Record<
  Scale,
  { persons: number; absences: number; fleetWorkspaces: number; fleetPersons: number; fleetAbsences: number }
> = {
  full: { persons: 5000, absences: 60_000, fleetWorkspaces: 1000, fleetPersons: 25, fleetAbsences: 250 },
  small: { persons: 500, absences: 6000, fleetWorkspaces: 100, fleetPersons: 25, fleetAbsences: 250 },
};
export const TIME_ZONE = 'Europe/Berlin';

export interface Bench {
  kind: DbKind;
  /** The application under test, in its own process. */
  app: AppProcess;
  syncConcurrency: number;
  /** This process's own connection to the app's database: seeding, snapshots, counts (not measured). */
  dataSource: DataSource;
  simulator: SimulatorAdminClient;
  credentials: PersonioCredentialService;
}

/** Every failed correctness check of this bench process, in order; main() exits non-zero when any failed. */
export const failures: string[] = [];
export function check(condition: boolean, message: string): void {
  if (!condition) {
    failures.push(message);
    console.error(`  CHECK FAILED: ${message}`);
  }
}
