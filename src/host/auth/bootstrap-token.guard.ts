import { CanActivate, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { AuthenticatedRequest } from './principal';

/** `X-Bootstrap-Token` must equal BOOTSTRAP_TOKEN; a guard, so it answers before the body is validated. */
@Injectable()
export class BootstrapTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.bootstrapToken;
    if (!expected) throw new ForbiddenException('Creating workspaces is disabled: BOOTSTRAP_TOKEN is not configured');
    const given = context.switchToHttp().getRequest<AuthenticatedRequest>().headers['x-bootstrap-token'];
    if (typeof given !== 'string' || !sameSecret(given, expected))
      throw new UnauthorizedException('X-Bootstrap-Token is missing or wrong');
    return true;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
