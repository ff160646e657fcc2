import type { Api } from '../../http/types.js';
import { registerCrudRoutes } from '../../http/crud-routes.js';
import { Named, NamedInput } from './named.schemas.js';
import type { NamedService } from './named.service.js';

/** `/v1/tenants/{t}/<path>` CRUD for one named kind (groups, workspaces). */
export function registerNamedRoutes(app: Api, path: string, tag: string, service: NamedService): void {
  registerCrudRoutes(app, path, tag, { item: Named, create: NamedInput, patch: NamedInput }, service);
}
