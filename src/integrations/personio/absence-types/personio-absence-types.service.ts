import { Injectable } from '@nestjs/common';
import { PersonioAbsenceType } from '../client/personio-api.types';
import { PersonioClient } from '../client/personio-client.port';
import { PersonioCredentialService } from '../credentials/personio-credential.service';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { callPersonio, notConnected } from '../setup/personio-http-errors';
import { AbsenceTypeView } from './absence-type.view';

/** The company's absence types, asked live from Personio, with the admin's choice beside each. */
@Injectable()
export class PersonioAbsenceTypesService {
  constructor(
    private readonly state: PersonioIntegrationStateService,
    private readonly credentials: PersonioCredentialService,
    private readonly client: PersonioClient,
  ) {}

  async list(workspaceId: string): Promise<AbsenceTypeView[]> {
    const integration = await this.state.find(workspaceId);
    if (!integration) throw notConnected();
    const excluded = new Set(integration.excludedAbsenceTypeIds ?? []);
    const types = await callPersonio(async () => {
      const all: PersonioAbsenceType[] = [];
      for await (const page of this.client.listAbsenceTypes(this.credentials.credentialsOf(integration)))
        all.push(...page);
      return all;
    });
    return [...new Map(types.map((type) => [type.id, type])).values()]
      .map((type) => ({
        id: type.id,
        name: type.name,
        category: type.category,
        unit: type.unit,
        transferred: !excluded.has(type.id),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
