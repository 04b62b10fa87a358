import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AworkHostPort } from '../integrations/awork-host.port';
import { Absence } from './absences/absence.entity';
import { AbsenceSourceLockGuard } from './absences/absence-source-lock.guard';
import { AbsencesController } from './absences/absences.controller';
import { AbsencesService } from './absences/absences.service';
import { ExternalAbsenceStore } from './absences/external-absence.store';
import { AworkHostAdapter } from './awork-host.adapter';
import { ApiToken } from './auth/api-token.entity';
import { ApiTokenService } from './auth/api-token.service';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { BootstrapTokenGuard } from './auth/bootstrap-token.guard';
import { User } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { HostDirectoryAdapter } from './workspaces/host-directory.adapter';
import { Workspace } from './workspaces/workspace.entity';
import { WorkspacesController } from './workspaces/workspaces.controller';
import { WorkspacesService } from './workspaces/workspaces.service';

/** The thin stand-in for the rest of the awork backend: workspaces, users, tokens, absences. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Workspace, User, ApiToken, Absence])],
  controllers: [WorkspacesController, UsersController, AbsencesController],
  providers: [
    WorkspacesService,
    UsersService,
    ApiTokenService,
    AbsencesService,
    AbsenceSourceLockGuard,
    BootstrapTokenGuard,
    { provide: APP_GUARD, useClass: BearerAuthGuard },
    HostDirectoryAdapter,
    ExternalAbsenceStore,
    { provide: AworkHostPort, useClass: AworkHostAdapter },
  ],
  exports: [AworkHostPort, WorkspacesService, UsersService],
})
export class HostModule {}
