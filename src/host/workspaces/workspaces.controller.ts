import { Body, Controller, ForbiddenException, Get, Headers, Patch, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { AdminOnly, CurrentPrincipal, Principal, Public } from '../auth/principal';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './dto/workspace.dto';
import { WorkspacesService, WorkspaceView } from './workspaces.service';

@ApiTags('host: workspaces')
@Controller()
export class WorkspacesController {
  constructor(
    private readonly workspaces: WorkspacesService,
    private readonly config: AppConfig,
  ) {}

  @Post('workspaces')
  @Public()
  @ApiHeader({ name: 'X-Bootstrap-Token', required: true })
  create(@Headers('x-bootstrap-token') bootstrapToken: string | undefined, @Body() body: CreateWorkspaceDto) {
    const expected = this.config.bootstrapToken;
    if (!expected) throw new ForbiddenException('Creating workspaces is disabled: BOOTSTRAP_TOKEN is not configured');
    if (!bootstrapToken || !sameSecret(bootstrapToken, expected))
      throw new UnauthorizedException('X-Bootstrap-Token is missing or wrong');
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

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
