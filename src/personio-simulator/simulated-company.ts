import { FaultSet } from './simulator-faults';
import { SortedCollection } from './sorted-collection';
import {
  SimAbsencePeriod,
  SimAbsenceType,
  SimCompanySummary,
  SimCredential,
  SimOpenEndFilterReading,
  SimPerson,
  SimWebhook,
} from './simulator.types';

/** One Personio tenant: its credentials, data and faults. */
export class SimulatedCompany {
  readonly persons = new SortedCollection<SimPerson>();
  readonly absenceTypes = new SortedCollection<SimAbsenceType>();
  readonly absencePeriods = new SortedCollection<SimAbsencePeriod>();
  readonly webhooks = new SortedCollection<SimWebhook>();
  readonly credentials = new Map<string, SimCredential>();
  readonly faults = new FaultSet();
  openEndFilter: SimOpenEndFilterReading = 'lenient';

  constructor(
    readonly id: string,
    public name: string,
  ) {}

  summary(): SimCompanySummary {
    return {
      id: this.id,
      name: this.name,
      credentials: [...this.credentials.values()].map((c) => ({ ...c, scopes: [...c.scopes] })),
      persons: this.persons.size,
      absenceTypes: this.absenceTypes.size,
      absencePeriods: this.absencePeriods.size,
      webhooks: this.webhooks.size,
      openEndFilter: this.openEndFilter,
    };
  }
}
