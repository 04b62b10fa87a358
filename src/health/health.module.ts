import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PersonioModule } from '../integrations/personio/personio.module';
import { HealthController } from './health.controller';
import { SchedulerHealthIndicator } from './scheduler.health';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), PersonioModule],
  controllers: [HealthController],
  providers: [SchedulerHealthIndicator],
})
export class HealthModule {}
