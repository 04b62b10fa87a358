import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../host/auth';
import { SchedulerHealthIndicator } from './scheduler.health';

const DATABASE_PING_TIMEOUT_MS = 3000;

/** `GET /health` (outside the API prefix, no token): database reachable, scheduler state. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly scheduler: SchedulerHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(DATABASE_PING_TIMEOUT_MS),
      () => this.scheduler.check('scheduler'),
    ]);
  }
}
