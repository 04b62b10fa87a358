import { Module } from '@nestjs/common';
import { PersonioModule } from './personio/personio.module';

@Module({ imports: [PersonioModule] })
export class IntegrationsModule {}
