import { HostSchema1764100000000 } from './1764100000000-host-schema';
import { PersonioSchema1764200000000 } from './1764200000000-personio-schema';
import { HalfDaysOpenEndsInvalid1764300000000 } from './1764300000000-half-days-open-ends-invalid';
import { PersonioWebhooks1764400000000 } from './1764400000000-personio-webhooks';
import { DuplicatesAlerts1764700000000 } from './1764700000000-duplicates-alerts';
import { PersonioLinksAbsenceTypes1764600000000 } from './1764600000000-personio-links-absence-types';
import { SyncRunProgress1764800000000 } from './1764800000000-sync-run-progress';

export const ALL_MIGRATIONS = [
  HostSchema1764100000000,
  PersonioSchema1764200000000,
  HalfDaysOpenEndsInvalid1764300000000,
  PersonioWebhooks1764400000000,
  DuplicatesAlerts1764700000000,
  PersonioLinksAbsenceTypes1764600000000,
  SyncRunProgress1764800000000,
];
