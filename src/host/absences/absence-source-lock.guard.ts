import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { Repository } from 'typeorm';
import { AuthenticatedRequest } from '../auth/principal';
import { Absence } from './absence.entity';

const PROVIDER_NAMES: Record<string, string> = { personio: 'Personio' };

/**
 * Refuses updates and deletes of absences that an integration owns (`externalProvider` set):
 * the source system is the only place to change them. Missing or foreign ids, and for a member
 * another user's absence, pass through to the handler, which answers 404 (so a member learns
 * nothing about absences they may not read); an id that is no UUID never reaches the database
 * and passes through to the route's UUID pipe, which answers 400.
 */
@Injectable()
export class AbsenceSourceLockGuard implements CanActivate {
  constructor(@InjectRepository(Absence) private readonly absences: Repository<Absence>) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { params: Record<string, string> }>();
    const id = request.params.id;
    const principal = request.principal;
    if (!id || !principal || !isUUID(id)) return true;
    const absence = await this.absences.findOne({
      select: { id: true, userId: true, externalProvider: true },
      where: { id, workspaceId: principal.workspaceId },
    });
    if (!absence || (principal.role !== 'admin' && absence.userId !== principal.userId)) return true;
    if (absence.externalProvider) {
      const source = PROVIDER_NAMES[absence.externalProvider] ?? absence.externalProvider;
      throw new ForbiddenException(
        `This absence is managed in ${source} and is read-only in awork: change or delete it in ${source}, and the next sync brings the change over.`,
      );
    }
    return true;
  }
}
