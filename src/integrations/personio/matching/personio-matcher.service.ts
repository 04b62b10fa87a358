import { Injectable } from '@nestjs/common';
import { AworkHostPort } from '../../awork-host.port';
import { PersonioCredentials, PersonioPerson } from '../client/personio-api.types';
import { PersonioClient } from '../client/personio-client.port';
import { matchPersonsToUsers, PersonUserMatching } from './match-by-email';
import { PersonLinkStore } from './person-link.store';

export type UsersReport = Omit<PersonUserMatching, 'userIdByPersonId'>;

/**
 * The one place matching happens: a workspace's awork users paired with the Personio persons listed
 * live, the admin's manual links first.
 */
@Injectable()
export class PersonioMatcherService {
  constructor(
    private readonly client: PersonioClient,
    private readonly host: AworkHostPort,
    private readonly links: PersonLinkStore,
  ) {}

  /** Used by the sync; awork's users and the links are read while Personio answers. */
  async match(workspaceId: string, credentials: PersonioCredentials): Promise<PersonUserMatching> {
    const users = this.host.listUsers(workspaceId);
    const links = this.links.list(workspaceId);
    // A failure surfaces when the users are asked for, not as an unhandled rejection meanwhile.
    users.catch(() => undefined);
    links.catch(() => undefined);
    const persons: PersonioPerson[] = [];
    for await (const page of this.client.listPersons(credentials)) persons.push(...page);
    return matchPersonsToUsers(persons, await users, await links);
  }

  async report(workspaceId: string, credentials: PersonioCredentials): Promise<UsersReport> {
    const { matched, unmatchedPersonio, unmatchedAwork, staleLinks } = await this.match(workspaceId, credentials);
    return { matched, unmatchedPersonio, unmatchedAwork, staleLinks };
  }
}
