import type { Authenticator } from '../http/authenticate.js';
import type { Api } from '../http/types.js';
import type { ServiceDeps } from '../infra/deps.js';
import { registerIdentity } from './auth/identity.module.js';
import { registerTenantRoutes } from './tenants/tenants.routes.js';
import { TenantsService } from './tenants/tenants.service.js';

/** Something to stop when the server closes (timers, sockets, listeners). */
export type Closer = () => Promise<void> | void;

/**
 * Builds every module's service and registers its routes. One place lists the modules, so each
 * feature is added here with one line and the order of start-up is visible.
 */
export async function registerModules(app: Api, deps: ServiceDeps, auth: Authenticator): Promise<Closer[]> {
  const closers: Closer[] = [];
  closers.push(...(await registerIdentity(app, deps, auth)));
  const tenants = new TenantsService(deps);
  registerTenantRoutes(app, tenants);
  return closers;
}
