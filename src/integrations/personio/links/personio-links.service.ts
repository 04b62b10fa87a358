import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AworkHostPort } from '../../awork-host.port';
import { PersonLinkStore, StoredPersonLink } from '../matching/person-link.store';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { notConnected } from '../setup/personio-http-errors';
import { PersonioSyncService } from '../sync/personio-sync.service';
import { PersonLinkView } from './dto/person-link.dto';

const LINKS_PATH = '/api/v1/integrations/personio/links';

/**
 * Manual links (PRODUCT.md §8): an admin says which awork user a Personio person is when their
 * e-mails differ. Each change starts a sync in the background, which applies it and stores the
 * matching the event path reads.
 */
@Injectable()
export class PersonioLinksService {
  private readonly logger = new Logger(PersonioLinksService.name);

  constructor(
    private readonly state: PersonioIntegrationStateService,
    private readonly host: AworkHostPort,
    private readonly links: PersonLinkStore,
    private readonly sync: PersonioSyncService,
  ) {}

  async list(workspaceId: string): Promise<PersonLinkView[]> {
    await this.connected(workspaceId);
    return (await this.links.list(workspaceId)).map(toView);
  }

  async put(workspaceId: string, personioPersonId: string, userId: string): Promise<PersonLinkView> {
    await this.connected(workspaceId);
    const users = await this.host.listUsers(workspaceId);
    if (!users.some((user) => user.id === userId))
      throw new NotFoundException(`userId ${userId} is not a user of this workspace`);
    const other = await this.links.findByUser(workspaceId, userId);
    if (other && other.personioPersonId !== personioPersonId)
      throw new ConflictException(
        `userId ${userId} is already linked to Personio person ${other.personioPersonId}; DELETE ${LINKS_PATH}/${other.personioPersonId} first`,
      );
    const { link, changed } = await this.links.put(workspaceId, { personioPersonId, userId });
    // The same link again changes nothing, so it starts no sync either.
    if (changed) {
      this.logger.log(`workspace=${workspaceId} Personio person ${personioPersonId} linked to user ${userId}`);
      this.sync.runInBackground(workspaceId, 'manual');
    }
    return toView(link);
  }

  async delete(workspaceId: string, personioPersonId: string): Promise<void> {
    await this.connected(workspaceId);
    if (!(await this.links.delete(workspaceId, personioPersonId)))
      throw new NotFoundException(`Personio person ${personioPersonId} has no manual link`);
    this.logger.log(`workspace=${workspaceId} manual link of Personio person ${personioPersonId} removed`);
    this.sync.runInBackground(workspaceId, 'manual');
  }

  private async connected(workspaceId: string): Promise<void> {
    if (!(await this.state.find(workspaceId))) throw notConnected();
  }
}

function toView(link: StoredPersonLink): PersonLinkView {
  return { personioPersonId: link.personioPersonId, userId: link.userId, createdAt: link.createdAt.toISOString() };
}
