import { Body, Controller, Get, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BootstrapTokenGuard } from '../auth/bootstrap-token.guard';
import { AdminOnly, CurrentPrincipal, Principal, Public } from '../auth/principal';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './dto/workspace.dto';
import { WorkspacesService, WorkspaceView } from './workspaces.service';

@ApiTags('host: workspaces')
@Controller()
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Post('workspaces')
  @Public()
  @UseGuards(BootstrapTokenGuard)
  @ApiHeader({ name: 'X-Bootstrap-Token', required: true })
  create(@Body() body: CreateWorkspaceDto) {
    return this.workspaces.create(body);
  }

  @Get('workspace')
  @ApiBearerAuth()
  get(@CurrentPrincipal() principal: Principal): Promise<WorkspaceView> {
    return this.workspaces.get(principal.workspaceId);
  }

  @Patch('workspace')
  @AdminOnly()
  @ApiBearerAuth()
  update(@CurrentPrincipal() principal: Principal, @Body() body: UpdateWorkspaceDto): Promise<WorkspaceView> {
    return this.workspaces.update(principal.workspaceId, body);
  }
}
