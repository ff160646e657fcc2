import type { Authenticator } from '../../http/authenticate.js';
import type { ChangeEvent } from '../../infra/bus.js';
import type { Closer } from '../../infra/closer.js';
import type { Actor } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError } from '../../infra/errors.js';
import { freshOrRecent } from '../../infra/stand-in.js';
import { findTenantStatus } from './tenants.repo.js';

/** The refusal of every credential and sign-in of a suspended tenant. */
export function tenantSuspended(): AppError {
  return new AppError(
    'tenant_suspended',
    'this organisation is suspended by the service provider: sign-ins and tokens are refused until it is resumed',
  );
}

/** How long a node trusts a tenant's status it read; a suspension reaches every node at once through the bus. */
const STATUS_TTL_MS = 5_000;
const STATUSES_CACHED = 10_000;

/**
 * Refuses every credential of a suspended tenant (API tokens, platform tokens, SCIM; sessions were
 * ended by the suspension). The status is read once per tenant per few seconds on each node, and
 * forgotten as soon as the bus says the tenant changed, so a suspension takes effect on every node
 * at its commit; the PBX's dial checks pay no database read per call.
 */
export function registerTenantGate(deps: ServiceDeps, auth: Authenticator): Closer {
  const known = new Map<string, { suspended: boolean; until: number }>();
  /** The status read in flight per tenant: the requests arriving meanwhile share it. */
  const reading = new Map<string, Promise<{ suspended: boolean; until: number }>>();
  const forget = (e: ChangeEvent) => {
    if (e.type === 'resync') known.clear();
    else if ((e.type === 'tenant' || e.type === 'config') && 'tenantId' in e) known.delete(e.tenantId);
  };
  const stops = [deps.bus.subscribe(forget), deps.bus.subscribeOwnCommits(forget)];
  auth.addActorCheck(async (actor: Actor) => {
    if (actor.kind === 'provider') return;
    let entry = known.get(actor.tenantId);
    if (!entry || entry.until <= Date.now()) {
      const tenantId = actor.tenantId;
      let read = reading.get(tenantId);
      if (!read) {
        read = findTenantStatus(deps.db, tenantId)
          .then((status) => {
            const fresh = { suspended: status === 'suspended', until: Date.now() + STATUS_TTL_MS };
            if (known.size >= STATUSES_CACHED) known.clear();
            known.set(tenantId, fresh);
            return fresh;
          })
          .finally(() => reading.delete(tenantId));
        reading.set(tenantId, read);
      }
      // A status read lately stands in while the database is held (a suspension drops it at once).
      entry = await freshOrRecent(read, entry && { value: entry });
    }
    if (entry.suspended) throw tenantSuspended();
  });
  return () => {
    for (const stop of stops) stop();
  };
}
