import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal, Principal } from '../../../host/auth';
import { PersonLinkView, PutPersonLinkDto } from './dto/person-link.dto';
import { PersonioLinksService } from './personio-links.service';
import { PersonioPersonIdParam } from './personio-person-id.param';

const PERSON_ID_PARAM = {
  name: 'personioPersonId',
  example: '3003',
  description: "The Personio person's id (1 to 128 letters, digits, '.', '_' or '-')",
};

/** Manual links between Personio persons and awork users: they win over e-mail matching on both sides. */
@ApiTags('integrations: personio')
@ApiBearerAuth()
@AdminOnly()
@Controller('integrations/personio/links')
export class PersonioLinksController {
  constructor(private readonly links: PersonioLinksService) {}

  @Get()
  @ApiOkResponse({ type: [PersonLinkView], description: 'The manual links, by Personio person id' })
  list(@CurrentPrincipal() principal: Principal): Promise<PersonLinkView[]> {
    return this.links.list(principal.workspaceId);
  }

  @Put(':personioPersonId')
  @ApiParam(PERSON_ID_PARAM)
  @ApiOkResponse({
    type: PersonLinkView,
    description: 'Linked (an earlier link of this person is replaced); a sync starts in the background',
  })
  @ApiBadRequestResponse({ description: 'personioPersonId or userId malformed (the message names it)' })
  @ApiNotFoundResponse({ description: 'Personio is not connected, or userId is not a user of this workspace' })
  @ApiConflictResponse({ description: 'The user is already linked to another Personio person (named)' })
  put(
    @CurrentPrincipal() principal: Principal,
    @PersonioPersonIdParam() personioPersonId: string,
    @Body() body: PutPersonLinkDto,
  ): Promise<PersonLinkView> {
    return this.links.put(principal.workspaceId, personioPersonId, body.userId);
  }

  @Delete(':personioPersonId')
  @HttpCode(204)
  @ApiParam(PERSON_ID_PARAM)
  @ApiNoContentResponse({ description: 'Unlinked; the person is matched by e-mail again from the sync this starts' })
  @ApiNotFoundResponse({ description: 'Personio is not connected, or this person has no manual link' })
  delete(@CurrentPrincipal() principal: Principal, @PersonioPersonIdParam() personioPersonId: string): Promise<void> {
    return this.links.delete(principal.workspaceId, personioPersonId);
  }
}
