import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/validation';
import { AdminOnly, CurrentPrincipal, Principal } from '../auth/principal';
import { CreateUserDto, UpdateMeDto, UpdateUserDto } from './dto/user.dto';
import { UsersService, UserView } from './users.service';

@ApiTags('host: users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @AdminOnly()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto): Promise<UserView & { token: string }> {
    return this.users.create(principal.workspaceId, body);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<UserView[]> {
    return this.users.list(principal.workspaceId);
  }

  /** Who the token belongs to (the web page reads the role from it). */
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Promise<UserView> {
    return this.users.get(principal.workspaceId, principal.userId);
  }

  // Declared before `:id` so "me" is never parsed as an id.
  @Patch('me')
  updateMe(@CurrentPrincipal() principal: Principal, @Body() body: UpdateMeDto): Promise<UserView> {
    return this.users.update(principal.workspaceId, principal.userId, body);
  }

  @Patch(':id')
  @AdminOnly()
  update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(principal.workspaceId, id, body);
  }
}
