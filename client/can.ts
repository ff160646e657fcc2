/**
 * Local decisions from the last effective configuration (API.md "The effective configuration"):
 * an app enforces what it was sent without asking the server again. The configuration already
 * holds every effective value (plan G8, admin setting and preference G9/G10), so these functions
 * only read it; dial checks share the server's implementation (src/access/dial.ts, pure), so the
 * app and the PBX's dial-check API cannot disagree on what the app can know.
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
 * Whether the user may call or text `number` (F1, F3, F5), decided locally with the same rules as
 * `POST /v1/tenants/{t}/dial-check`: emergency numbers of the home region (`emergency`, allowed
 * even to an inactive account, as on the server), feature codes (`internal`), the dial restriction.
 *
 * One difference, by necessity: the configuration does not list the tenant's extensions, so a
 * colleague's extension (`1001`) is not known to be internal here. It is judged as a number
 * (usually `invalid_number`), where the server answers `internal`; an app that lets users dial
 * extensions should ask the server, or treat `invalid_number` for a short number as "ask".
 * Without a configuration the answer is a refusal (`no_configuration`).
 */
export function canDial(
  config: EffectiveConfig | null | undefined,
  number: string,
  channel: DialChannel,
): DialDecision {
  if (!config) return { allowed: false, region: null, internal: false, code: 'no_configuration' };
  if (config.status !== 'active') {
    // G13 closes every channel; emergency numbers still pass (F5), exactly as the server decides.
    const closed = { ...config.features, calls: false, sms: false };
    return checkDial(closed, number, channel, { channelBlock: { code: 'account_inactive', rule: 'G13' } });
  }
  return checkDial(config.features, number, channel);
}
