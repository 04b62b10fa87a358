export { BearerAuthGuard } from './bearer-auth.guard';
export { HostAuthModule } from './host-auth.module';
export { AdminOnly, CurrentPrincipal, Public } from './principal';
export type { Principal } from './principal';
