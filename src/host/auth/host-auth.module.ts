import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '../users/user.entity';
import { ApiToken } from './api-token.entity';
import { ApiTokenService } from './api-token.service';
import { BearerAuthGuard } from './bearer-auth.guard';

/**
 * How the host authenticates callers, for the host itself and for integrations that import it.
 * The host turns the guard on for every route (APP_GUARD in HostModule); importing this module
 * gives an integration the guard and the token service, and `./index` the decorators.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiToken, User])],
  providers: [ApiTokenService, BearerAuthGuard],
  exports: [ApiTokenService, BearerAuthGuard],
})
export class HostAuthModule {}
