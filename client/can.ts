/**
 * Local decisions from the last effective configuration (API.md "The effective configuration"):
 * an app enforces what it was sent without asking the server again. The configuration already
 * holds every effective value (plan G8, admin setting and preference G9/G10), so these functions
 * only read it; dial checks share the server's implementation (src/access/dial.ts, pure), so the
 * app and the PBX's dial-check API cannot disagree.
 */
import { checkDial, type DialChannel, type DialDecision } from '../src/contract/index.js';
import type { EffectiveConfig } from './http.js';

export type { DialChannel, DialDecision } from '../src/contract/index.js';

/**
 * Whether the configuration allows `capability`. Queue-scoped capabilities (`queue:join`, …) need
 * `resource` as `queue:<id>` and hold only on queues the configuration lists them for. Nothing is
 * allowed without a configuration or for a user who is not active (G13).
 */
export function can(config: EffectiveConfig | null | undefined, capability: string, resource?: string): boolean {
  if (!config || config.status !== 'active') return false;
  if (capability.startsWith('queue:')) {
    if (!resource?.startsWith('queue:')) return false;
    const queueId = resource.slice('queue:'.length);
    return config.queues.some((q) => q.id === queueId && q.capabilities.includes(capability));
  }
  return config.capabilities.includes(capability);
}

/**
 * Whether the user may call or text `number` (F1, F3), decided locally with the same rules as
 * `POST /v1/tenants/{t}/dial-check`. Without a configuration the answer is a refusal.
 */
export function canDial(
  config: EffectiveConfig | null | undefined,
  number: string,
  channel: DialChannel,
): DialDecision {
  if (!config) return { allowed: false, region: null, code: 'no_configuration' };
  if (config.status !== 'active') return { allowed: false, region: null, code: 'account_inactive', rule: 'G13' };
  return checkDial(config.features, number, channel);
}
