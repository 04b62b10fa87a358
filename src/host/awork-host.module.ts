import { Module } from '@nestjs/common';
import { AworkHostPort } from '../integrations/awork-host.port';
import { AbsenceHostAdapter } from './absences/absence-host.adapter';

/** The host's side of AworkHostPort, for the integrations that import it. */
@Module({
  providers: [{ provide: AworkHostPort, useClass: AbsenceHostAdapter }],
  exports: [AworkHostPort],
})
export class AworkHostModule {}
