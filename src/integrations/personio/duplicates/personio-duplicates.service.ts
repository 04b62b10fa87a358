import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AworkHostPort } from '../../awork-host.port';
import { ManualAbsence, StoredExternalAbsence } from '../../awork-host.types';
import { PersonMatchStore } from '../matching/person-match.store';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { PERSONIO_PROVIDER } from '../personio-provider';
import { DuplicateAbsence, findDuplicates } from './absence-overlap';
import {
  DuplicateAbsenceView,
  ManualAbsenceView,
  ResolvedDuplicatesView,
  TransferredAbsenceView,
} from './dto/personio-duplicates.dto';

/**
 * Manual absences that transferred Personio absences now duplicate (a team that kept its calendar by
 * hand before connecting): listed, counted in every run, and deleted on an admin's word. "Matched"
 * is the matching the last successful full sync stored.
 */
@Injectable()
export class PersonioDuplicatesService {
  private readonly logger = new Logger(PersonioDuplicatesService.name);

  constructor(
    private readonly host: AworkHostPort,
    private readonly state: PersonioIntegrationStateService,
    private readonly matches: PersonMatchStore,
  ) {}

  async list(workspaceId: string): Promise<DuplicateAbsenceView[]> {
    await this.connected(workspaceId);
    return (await this.find(workspaceId)).map(toDuplicateView);
  }

  /** For a run's `duplicates`: null when counting failed (the run's own outcome stands). */
  async countOrNull(workspaceId: string): Promise<number | null> {
    try {
      return (await this.find(workspaceId)).length;
    } catch (error) {
      this.logger.warn(
        `workspace=${workspaceId} duplicates not counted: ${(error as Error)?.message ?? String(error)}`,
      );
      return null;
    }
  }

  /**
   * Deletes the named manual absences if every one is a duplicate now, else none (400 naming the
   * others). The check and the delete share one host transaction that locks the manual rows and the
   * transferred ones they overlap, so an edit or a sync landing meanwhile is either seen or waits.
   */
  async resolve(workspaceId: string, absenceIds: string[]): Promise<ResolvedDuplicatesView> {
    await this.connected(workspaceId);
    const requested = [...new Set(absenceIds)];
    const matchedUserIds = await this.matchedUserIds(workspaceId);
    let connected = true;
    let refused: string[] = [];
    const result = await this.host.deleteManualAbsences(workspaceId, PERSONIO_PROVIDER, requested, {
      begin: async (transaction) => {
        // Locks the integration as a sync's apply does: a DELETE of it waits for this commit.
        connected = (await this.state.lockedForApply(transaction, workspaceId)) !== null;
        return connected;
      },
      decide: (found) => {
        const duplicates = new Set(findDuplicates(found, matchedUserIds).map((d) => d.manual.id));
        refused = requested.filter((id) => !duplicates.has(id));
        return refused.length === 0 ? requested : null;
      },
    });
    if (!connected) throw notConnected();
    if (result.kind === 'declined')
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `absenceIds: not manual absences duplicated by a transferred Personio absence, so nothing was deleted: ${refused.join(', ')}`,
        notDuplicates: refused,
      });
    this.logger.log(`workspace=${workspaceId} duplicate manual absences deleted count=${result.count}`);
    return { deleted: result.count, absenceIds: requested };
  }

  private async find(workspaceId: string): Promise<DuplicateAbsence[]> {
    const [candidates, matchedUserIds] = await Promise.all([
      this.host.findManualAbsencesOverlappingExternal(workspaceId, PERSONIO_PROVIDER),
      this.matchedUserIds(workspaceId),
    ]);
    return findDuplicates(candidates, matchedUserIds);
  }

  private async matchedUserIds(workspaceId: string): Promise<Set<string>> {
    return new Set((await this.matches.userIdByPersonId(workspaceId)).values());
  }

  private async connected(workspaceId: string): Promise<void> {
    if (!(await this.state.find(workspaceId))) throw notConnected();
  }
}

function notConnected(): NotFoundException {
  return new NotFoundException('Personio is not connected for this workspace');
}

function toManualView(absence: ManualAbsence): ManualAbsenceView {
  return {
    id: absence.id,
    userId: absence.userId,
    startOn: absence.startOn,
    endOn: absence.endOn,
    isHalfDayOnStart: absence.isHalfDayOnStart,
    isHalfDayOnEnd: absence.isHalfDayOnEnd,
    description: absence.description,
  };
}

function toTransferredView(absence: StoredExternalAbsence): TransferredAbsenceView {
  return { ...toManualView(absence), externalId: absence.externalId };
}

function toDuplicateView(duplicate: DuplicateAbsence): DuplicateAbsenceView {
  return { manual: toManualView(duplicate.manual), transferred: toTransferredView(duplicate.transferred) };
}
