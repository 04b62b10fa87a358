import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../users/user.entity';

/** Who is calling: resolved from the bearer token by the global auth guard. */
export interface Principal {
  userId: string;
  workspaceId: string;
  role: Role;
}

export interface AuthenticatedRequest {
  principal?: Principal;
  headers: Record<string, string | string[] | undefined>;
}

export const IS_PUBLIC = 'auth:isPublic';
export const ADMIN_ONLY = 'auth:adminOnly';

/** The route needs no bearer token (it checks something else, e.g. the bootstrap token). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only admins of the workspace may call the route. */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
