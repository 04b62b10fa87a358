import { Module } from '@nestjs/common';
import { PersonioModule } from './personio/personio.module';

/** Each integration imports what it needs from the host itself (HostAuthModule, AworkHostModule); nothing is global. */
@Module({ imports: [PersonioModule] })
export class IntegrationsModule {}
