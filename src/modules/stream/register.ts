import type { Api } from '../../http/types.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { registerDialCheckRoutes } from '../dial-check/dial-check.routes.js';
import { DialCheckService } from '../dial-check/dial-check.service.js';
import type { Closer } from '../../infra/closer.js';
import { registerMeRoutes } from '../me/me.routes.js';
import { MeService } from '../me/me.service.js';
import type { StreamHubOptions } from './stream-hub.js';
import { registerStreamRoutes } from './stream.routes.js';
import { StreamService } from './stream.service.js';

/**
 * Registers real-time delivery and what rides on the effective configuration: the stream (D1-D6),
 * the user's own config and preferences (G9, G10) and dial checks (F3). Returns the closer that
 * ends this node's streams on shutdown.
 */
export async function registerRealtime(app: Api, deps: ServiceDeps, hub: StreamHubOptions = {}): Promise<Closer> {
  const stream = new StreamService(deps, hub);
  await registerStreamRoutes(app, stream);
  registerMeRoutes(app, new MeService(deps));
  registerDialCheckRoutes(app, new DialCheckService(deps));
  stream.start();
  return () => stream.close();
}
