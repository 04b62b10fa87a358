import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Absence } from './absences/absence.entity';
import { AbsenceSourceLockGuard } from './absences/absence-source-lock.guard';
import { AbsencesController } from './absences/absences.controller';
import { AbsencesService } from './absences/absences.service';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { BootstrapTokenGuard } from './auth/bootstrap-token.guard';
import { HostAuthModule } from './auth/host-auth.module';
import { AdminNotificationStore } from './notifications/admin-notification.store';
import { AdminNotificationsController } from './notifications/admin-notifications.controller';
import { User } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { Workspace } from './workspaces/workspace.entity';
import { WorkspacesController } from './workspaces/workspaces.controller';
import { WorkspacesService } from './workspaces/workspaces.service';

/**
 * The thin stand-in for the rest of the awork backend: workspaces, users, tokens, absences,
 * admin notifications.
 * Integrations reach it only through the modules they import: HostAuthModule and AworkHostModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Workspace, User, Absence]), HostAuthModule],
  controllers: [WorkspacesController, UsersController, AbsencesController, AdminNotificationsController],
  providers: [
    WorkspacesService,
    UsersService,
    AbsencesService,
    AbsenceSourceLockGuard,
    AdminNotificationStore,
    BootstrapTokenGuard,
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
  exports: [WorkspacesService, UsersService],
})
export class HostModule {}
