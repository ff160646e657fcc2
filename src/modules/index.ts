import type { Authenticator } from '../http/authenticate.js';
import type { Api } from '../http/types.js';
import type { Closer } from '../infra/closer.js';
import type { ServiceDeps } from '../infra/deps.js';
import { registerIdentity } from './auth/identity.module.js';
import { Mailer } from './mail/mailer.js';
import { mailHandler, startOutbox } from './outbox/outbox.module.js';
import { registerWebhooks } from './webhooks/webhooks.module.js';
import { registerAccessRoutes } from './access/access.routes.js';
import { AccessService } from './access/access.service.js';
import { registerAuditRoutes } from './audit/audit.routes.js';
import { AuditService } from './audit/audit.service.js';
import { registerAuthzenRoutes } from './authzen/authzen.routes.js';
import { AuthzenService } from './authzen/authzen.service.js';
import { registerCallData } from './call-data/call-data.module.js';
import { registerNamedRoutes } from './directory/named.routes.js';
import { GROUPS, NamedService, WORKSPACES } from './directory/named.service.js';
import { registerPlatformRoutes } from './platform/platform.routes.js';
import { PlatformService } from './platform/platform.service.js';
import { registerRealtime } from './stream/register.js';
import { startSnapshots } from './snapshot/snapshot-store.js';
import { registerCrudRoutes } from '../http/crud-routes.js';
import { ProfilesService } from './profiles/profiles.service.js';
import { Profile, ProfileCreate, ProfileDeleteQuery, ProfilePatch } from './profiles/profiles.schemas.js';
import { QueuesService } from './queues/queues.service.js';
import { Queue, QueueCreate, QueuePatch } from './queues/queues.schemas.js';
import { registerRolePermissionRoutes } from './role-permissions/role-permissions.routes.js';
import { RolePermissionsService } from './role-permissions/role-permissions.service.js';
import { registerPlanRoutes } from './plans/plans.routes.js';
import { PlansService } from './plans/plans.service.js';
import { registerTenantGate } from './tenants/tenant-gate.js';
import { registerTenantRoutes } from './tenants/tenants.routes.js';
import { TenantsService } from './tenants/tenants.service.js';
import { registerUsageRoutes } from './usage/usage.routes.js';
import { UsageService } from './usage/usage.service.js';
import { registerUsersCsvRoutes } from './csv/users-csv.routes.js';
import { UsersCsvService } from './csv/users-csv.service.js';
import { registerUserRoutes } from './users/users.routes.js';
import { UsersService } from './users/users.service.js';
import { registerScimRoutes } from './scim/scim.routes.js';
import { ScimGroupsService } from './scim/scim-groups.service.js';
import { ScimService } from './scim/scim.service.js';

/**
 * Builds every module's service and registers its routes. One place lists the modules, so each
 * feature is added here with one line and the order of start-up is visible.
 */
export async function registerModules(app: Api, deps: ServiceDeps, auth: Authenticator): Promise<Closer[]> {
  // First: the snapshot store must hear of every change before any other bus subscriber asks it.
  const closers: Closer[] = [startSnapshots(deps)];
  const mailer = new Mailer(deps);
  closers.push(...(await registerIdentity(app, deps, auth, mailer)));
  registerTenantRoutes(app, new TenantsService(deps));
  closers.push(registerTenantGate(deps, auth));
  registerPlanRoutes(app, new PlansService(deps));
  const users = new UsersService(deps);
  registerUserRoutes(app, users);
  const usersCsv = new UsersCsvService(deps, users);
  registerUsersCsvRoutes(app, usersCsv);
  closers.push(() => usersCsv.drain());
  registerScimRoutes(app, new ScimService(deps, users), new ScimGroupsService(deps, users), deps.config.PUBLIC_URL);
  const access = new AccessService(deps);
  registerAccessRoutes(app, access);
  registerAuthzenRoutes(app, new AuthzenService(access), deps.config.PUBLIC_URL);
  registerNamedRoutes(app, 'groups', 'Groups', new NamedService(deps, GROUPS));
  registerNamedRoutes(app, 'workspaces', 'Workspaces', new NamedService(deps, WORKSPACES));
  registerCrudRoutes(
    app,
    'queues',
    'Contact center',
    { item: Queue, create: QueueCreate, patch: QueuePatch },
    new QueuesService(deps),
  );
  registerCrudRoutes(
    app,
    'profiles',
    'Profiles',
    { item: Profile, create: ProfileCreate, patch: ProfilePatch, deleteQuery: ProfileDeleteQuery },
    new ProfilesService(deps),
  );
  registerRolePermissionRoutes(app, new RolePermissionsService(deps));
  registerPlatformRoutes(app, new PlatformService(deps));
  registerUsageRoutes(app, new UsageService(deps));
  registerAuditRoutes(app, new AuditService(deps));
  closers.push(await registerRealtime(app, deps));
  // After the real-time module: live statistics ride on its WebSocket plugin.
  closers.push(registerCallData(app, deps));
  // Last: the outbox stops first on shutdown (closers run in order), then the mailer it uses.
  const webhookHandlers = registerWebhooks(app, deps);
  closers.unshift(startOutbox(deps, { mail: mailHandler(deps, mailer), ...webhookHandlers }));
  closers.push(() => mailer.close());
  return closers;
}
