import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/validation';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { AbsenceSourceLockGuard } from './absence-source-lock.guard';
import { AbsencesService } from './absences.service';
import { AbsenceView, CreateAbsenceDto, ListAbsencesQuery, UpdateAbsenceDto } from './dto/absence.dto';

@ApiTags('host: absences')
@ApiBearerAuth()
@Controller('absences')
export class AbsencesController {
  constructor(private readonly absences: AbsencesService) {}

  @Get()
  @ApiOkResponse({ type: [AbsenceView], description: 'Admins: the whole workspace; members: their own absences only' })
  @ApiForbiddenResponse({ description: 'A member asked for another user’s absences (userId)' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListAbsencesQuery): Promise<AbsenceView[]> {
    return this.absences.list(principal, query);
  }

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateAbsenceDto): Promise<AbsenceView> {
    return this.absences.create(principal, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: AbsenceView })
  @ApiNotFoundResponse({ description: 'No such absence in the workspace, or (to a member) another user’s absence' })
  get(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<AbsenceView> {
    return this.absences.get(principal, id);
  }

  @Patch(':id')
  @UseGuards(AbsenceSourceLockGuard)
  @ApiForbiddenResponse({ description: 'The absence is managed by an integration (e.g. Personio) and is read-only' })
  update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateAbsenceDto,
  ): Promise<AbsenceView> {
    return this.absences.update(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @UseGuards(AbsenceSourceLockGuard)
  @ApiForbiddenResponse({ description: 'The absence is managed by an integration (e.g. Personio) and is read-only' })
  remove(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<void> {
    return this.absences.remove(principal, id);
  }
}
