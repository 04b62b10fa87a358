import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { Principal } from '../auth/principal';
import { User } from '../users/user.entity';
import { Absence } from './absence.entity';
import { AbsenceView, CreateAbsenceDto, ListAbsencesQuery, UpdateAbsenceDto } from './dto/absence.dto';

export const DEFAULT_ABSENCE_PAGE_SIZE = 100;

@Injectable()
export class AbsencesService {
  constructor(
    @InjectRepository(Absence) private readonly absences: Repository<Absence>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  /** As in awork: admins list the whole workspace, members only their own absences. */
  async list(principal: Principal, query: ListAbsencesQuery): Promise<AbsenceView[]> {
    const userId = principal.role === 'admin' ? query.userId : principal.userId;
    if (query.userId && query.userId !== userId)
      throw new ForbiddenException('Members may only list their own absences');
    const pageSize = query.pageSize ?? DEFAULT_ABSENCE_PAGE_SIZE;
    const builder = this.absences
      .createQueryBuilder('a')
      .where('a.workspaceId = :workspaceId', { workspaceId: principal.workspaceId })
      .orderBy('a.startOn', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .skip(((query.page ?? 1) - 1) * pageSize)
      .take(pageSize);
    if (userId) builder.andWhere('a.userId = :userId', { userId });
    // Overlap, both bounds inclusive: an absence reaching into [from, to] is listed.
    if (query.from) builder.andWhere('a.endOn >= :from', { from: query.from });
    if (query.to) builder.andWhere('a.startOn <= :to', { to: query.to });
    return (await builder.getMany()).map(toAbsenceView);
  }

  async get(principal: Principal, id: string): Promise<AbsenceView> {
    return toAbsenceView(await this.findVisible(principal, id));
  }

  async create(principal: Principal, input: CreateAbsenceDto): Promise<AbsenceView> {
    const owner = await this.users.findOne({ where: { id: input.userId, workspaceId: principal.workspaceId } });
    if (!owner) throw new NotFoundException(`User ${input.userId} not found`);
    this.assertMayManage(principal, owner.id);
    assertHalfDaysPossible(input.startOn, input.endOn, input.isHalfDayOnStart, input.isHalfDayOnEnd);
    const absence = this.absences.create({
      id: randomUUID(),
      workspaceId: principal.workspaceId,
      userId: owner.id,
      startOn: input.startOn,
      endOn: input.endOn,
      isHalfDayOnStart: input.isHalfDayOnStart ?? false,
      isHalfDayOnEnd: input.isHalfDayOnEnd ?? false,
      description: input.description ?? null,
      externalProvider: null,
      externalId: null,
    });
    await this.absences.insert(absence);
    return this.get(principal, absence.id);
  }

  /** Source-locked absences never reach here: AbsenceSourceLockGuard refuses them first. */
  async update(principal: Principal, id: string, changes: UpdateAbsenceDto): Promise<AbsenceView> {
    const absence = await this.findVisible(principal, id);
    const next = {
      ...absence,
      ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    };
    if (next.endOn < next.startOn) throw new BadRequestException(['endOn must not be before startOn']);
    assertHalfDaysPossible(next.startOn, next.endOn, next.isHalfDayOnStart, next.isHalfDayOnEnd);
    await this.absences.update(
      { id, workspaceId: principal.workspaceId, externalProvider: IsNull() },
      {
        startOn: next.startOn,
        endOn: next.endOn,
        isHalfDayOnStart: next.isHalfDayOnStart,
        isHalfDayOnEnd: next.isHalfDayOnEnd,
        description: next.description,
      },
    );
    return this.get(principal, id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const absence = await this.findVisible(principal, id);
    await this.absences.delete({ id: absence.id, workspaceId: principal.workspaceId });
  }

  /** Another workspace's id is answered like a missing one (404), so ids reveal nothing. */
  private async findInWorkspace(principal: Principal, id: string): Promise<Absence> {
    const absence = await this.absences.findOne({ where: { id, workspaceId: principal.workspaceId } });
    if (!absence) throw new NotFoundException(`Absence ${id} not found`);
    return absence;
  }

  /** A member does not see other users' absences, so to them another's id does not exist (404, as for GET). */
  private async findVisible(principal: Principal, id: string): Promise<Absence> {
    const absence = await this.findInWorkspace(principal, id);
    if (principal.role !== 'admin' && absence.userId !== principal.userId)
      throw new NotFoundException(`Absence ${id} not found`);
    return absence;
  }

  private assertMayManage(principal: Principal, ownerId: string): void {
    if (principal.role !== 'admin' && principal.userId !== ownerId) {
      throw new ForbiddenException('Members may only manage their own absences');
    }
  }
}

/**
 * On one day awork's flags are the morning (isHalfDayOnStart) and the afternoon (isHalfDayOnEnd):
 * both together would be no time off at all.
 */
function assertHalfDaysPossible(
  startOn: string,
  endOn: string,
  isHalfDayOnStart: boolean | undefined,
  isHalfDayOnEnd: boolean | undefined,
): void {
  if (startOn === endOn && isHalfDayOnStart && isHalfDayOnEnd)
    throw new BadRequestException([
      'isHalfDayOnStart and isHalfDayOnEnd must not both be true on a single-day absence (isHalfDayOnStart = morning, isHalfDayOnEnd = afternoon)',
    ]);
}

export function toAbsenceView(absence: Absence): AbsenceView {
  return {
    id: absence.id,
    userId: absence.userId,
    startOn: absence.startOn,
    endOn: absence.endOn,
    isHalfDayOnStart: Boolean(absence.isHalfDayOnStart),
    isHalfDayOnEnd: Boolean(absence.isHalfDayOnEnd),
    description: absence.description,
    externalProvider: absence.externalProvider,
    externalId: absence.externalId,
    isReadOnly: absence.externalProvider !== null,
    createdOn: new Date(absence.createdOn).toISOString(),
    updatedOn: new Date(absence.updatedOn).toISOString(),
  };
}
