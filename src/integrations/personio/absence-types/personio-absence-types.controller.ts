import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal, Principal } from '../../../host/auth';
import { AbsenceTypeView } from './absence-type.view';
import { PersonioAbsenceTypesService } from './personio-absence-types.service';

@ApiTags('integrations: personio')
@ApiBearerAuth()
@AdminOnly()
@Controller('integrations/personio/absence-types')
export class PersonioAbsenceTypesController {
  constructor(private readonly absenceTypes: PersonioAbsenceTypesService) {}

  @Get()
  @ApiOkResponse({
    type: [AbsenceTypeView],
    description: "The company's absence types, asked live from Personio, by name, each with whether it is transferred",
  })
  @ApiServiceUnavailableResponse({
    description:
      'Personio is unavailable, or the stored client secret is under a credentials key this instance does not have',
  })
  list(@CurrentPrincipal() principal: Principal): Promise<AbsenceTypeView[]> {
    return this.absenceTypes.list(principal.workspaceId);
  }
}
