import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal, Principal } from '../../../host/auth';
import { UsersReport } from '../matching/personio-matcher.service';
import { SyncRunView } from '../sync/sync-run.view';
import {
  ConnectPersonioDto,
  DisconnectPersonioQuery,
  ListRunsQuery,
  PersonioStatusView,
  UpdatePersonioDto,
  UsersReportView,
} from './dto/personio-setup.dto';
import { PersonioSetupService } from './personio-setup.service';

const UNREADABLE_SECRET =
  'Personio is unavailable, or the stored client secret is under a credentials key this instance does not have (the message names the key id and the fix)';

@ApiTags('integrations: personio')
@ApiBearerAuth()
@AdminOnly()
@Controller('integrations/personio')
export class PersonioSetupController {
  constructor(private readonly setup: PersonioSetupService) {}

  @Put()
  @ApiOkResponse({ type: PersonioStatusView })
  connect(@CurrentPrincipal() principal: Principal, @Body() body: ConnectPersonioDto): Promise<PersonioStatusView> {
    return this.setup.connect(principal.workspaceId, body);
  }

  @Get()
  @ApiOkResponse({ type: PersonioStatusView })
  status(@CurrentPrincipal() principal: Principal): Promise<PersonioStatusView> {
    return this.setup.status(principal.workspaceId);
  }

  @Patch()
  @ApiOkResponse({ type: PersonioStatusView })
  update(@CurrentPrincipal() principal: Principal, @Body() body: UpdatePersonioDto): Promise<PersonioStatusView> {
    return this.setup.update(principal.workspaceId, body);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({
    description:
      'Disconnected: credentials, runs and the webhook subscription are gone; the transferred absences are deleted, or with keepAbsences=true kept as ordinary manual absences',
  })
  disconnect(@CurrentPrincipal() principal: Principal, @Query() query: DisconnectPersonioQuery): Promise<void> {
    return this.setup.disconnect(principal.workspaceId, query.keepAbsences === 'true');
  }

  @Get('users')
  @ApiOkResponse({ type: UsersReportView })
  @ApiServiceUnavailableResponse({ description: UNREADABLE_SECRET })
  users(@CurrentPrincipal() principal: Principal): Promise<UsersReport> {
    return this.setup.users(principal.workspaceId);
  }

  @Post('sync')
  @ApiOkResponse({ type: SyncRunView })
  @ApiServiceUnavailableResponse({ description: UNREADABLE_SECRET })
  @HttpCode(200)
  sync(@CurrentPrincipal() principal: Principal): Promise<SyncRunView> {
    return this.setup.syncNow(principal.workspaceId);
  }

  @Get('runs')
  @ApiOkResponse({ type: [SyncRunView] })
  runs(@CurrentPrincipal() principal: Principal, @Query() query: ListRunsQuery): Promise<SyncRunView[]> {
    return this.setup.listRuns(principal.workspaceId, query.limit ?? 20);
  }
}
