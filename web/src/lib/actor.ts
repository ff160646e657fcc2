/** What the signed-in actor may do: the provider may do everything; a user what their capabilities allow. */
export interface ActorPowers {
  provider: boolean;
  superuser: boolean;
  capabilities: ReadonlySet<string>;
}

export function actorCan(actor: ActorPowers, capability: string): boolean {
  return actor.provider || actor.capabilities.has(capability);
}

export function actorFromCapabilities(
  capabilities: readonly string[],
  opts: { provider?: boolean; superuser?: boolean } = {},
): ActorPowers {
  return { provider: opts.provider ?? false, superuser: opts.superuser ?? false, capabilities: new Set(capabilities) };
}

export const PROVIDER_ACTOR: ActorPowers = { provider: true, superuser: true, capabilities: new Set() };
