import { Injectable } from '@nestjs/common';
import { AworkHostPort } from '../../awork-host.port';
import { PersonioCredentials, PersonioPerson } from '../client/personio-api.types';
import { PersonioClient } from '../client/personio-client.port';
import { matchPersonsToUsers, PersonUserMatching } from './match-by-email';

export type UsersReport = Omit<PersonUserMatching, 'userIdByPersonId'>;

/** Pairs a workspace's awork users with the Personio persons listed live. */
@Injectable()
export class PersonioMatcherService {
  constructor(
    private readonly client: PersonioClient,
    private readonly host: AworkHostPort,
  ) {}

  async report(workspaceId: string, credentials: PersonioCredentials): Promise<UsersReport> {
    const persons: PersonioPerson[] = [];
    for await (const page of this.client.listPersons(credentials)) persons.push(...page);
    const { matched, unmatchedPersonio, unmatchedAwork } = matchPersonsToUsers(
      persons,
      await this.host.listUsers(workspaceId),
    );
    return { matched, unmatchedPersonio, unmatchedAwork };
  }
}
