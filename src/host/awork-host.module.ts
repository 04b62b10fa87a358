import { Module } from '@nestjs/common';
import { AworkHostPort } from '../integrations/awork-host.port';
import { ExternalAbsenceStore } from './absences/external-absence.store';
import { AworkHostAdapter } from './awork-host.adapter';
import { AdminNotificationStore } from './notifications/admin-notification.store';
import { HostDirectoryAdapter } from './workspaces/host-directory.adapter';

/** The host's side of AworkHostPort, for the integrations that import it. */
@Module({
  providers: [
    HostDirectoryAdapter,
    ExternalAbsenceStore,
    AdminNotificationStore,
    { provide: AworkHostPort, useClass: AworkHostAdapter },
  ],
  exports: [AworkHostPort],
})
export class AworkHostModule {}
