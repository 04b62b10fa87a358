import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal, Principal } from '../auth/principal';
import { AdminNotificationStore } from './admin-notification.store';
import { AdminNotificationView, ListNotificationsQuery } from './dto/admin-notification.dto';

@ApiTags('host: notifications')
@ApiBearerAuth()
@AdminOnly()
@Controller('notifications')
export class AdminNotificationsController {
  constructor(private readonly notifications: AdminNotificationStore) {}

  @Get()
  @ApiOkResponse({
    type: [AdminNotificationView],
    description: 'Notifications to the workspace’s admins, newest first',
  })
  @ApiForbiddenResponse({ description: 'Members: notifications go to admins only' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListNotificationsQuery,
  ): Promise<AdminNotificationView[]> {
    return this.notifications.list(principal.workspaceId, query.limit ?? 50);
  }
}
