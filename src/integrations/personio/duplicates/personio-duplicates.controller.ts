import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal, Principal } from '../../../host/auth';
import { DuplicateAbsenceView, ResolveDuplicatesDto, ResolvedDuplicatesView } from './dto/personio-duplicates.dto';
import { PersonioDuplicatesService } from './personio-duplicates.service';

@ApiTags('integrations: personio')
@ApiBearerAuth()
@AdminOnly()
@Controller('integrations/personio/duplicates')
export class PersonioDuplicatesController {
  constructor(private readonly duplicates: PersonioDuplicatesService) {}

  @Get()
  @ApiOkResponse({
    type: [DuplicateAbsenceView],
    description:
      'Manual absences of matched users that overlap (by at least half a day) one of that user’s transferred Personio absences, each with that transferred absence',
  })
  @ApiNotFoundResponse({ description: 'Personio is not connected for this workspace' })
  list(@CurrentPrincipal() principal: Principal): Promise<DuplicateAbsenceView[]> {
    return this.duplicates.list(principal.workspaceId);
  }

  @Post('resolve')
  @HttpCode(200)
  @ApiOkResponse({ type: ResolvedDuplicatesView, description: 'Every listed manual absence was deleted' })
  @ApiBadRequestResponse({
    description:
      'A malformed body, or an id that is not such a duplicate now (listed in `notDuplicates`): nothing was deleted',
  })
  @ApiNotFoundResponse({ description: 'Personio is not connected for this workspace' })
  resolve(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ResolveDuplicatesDto,
  ): Promise<ResolvedDuplicatesView> {
    return this.duplicates.resolve(principal.workspaceId, body.absenceIds);
  }
}
