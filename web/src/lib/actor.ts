/** What the signed-in actor may do: the provider may do everything; a user what their capabilities allow. */
export interface ActorPowers {
  provider: boolean;
  superuser: boolean;
  capabilities: ReadonlySet<string>;
}

export function actorCan(actor: ActorPowers, capability: string): boolean {
  return actor.provider || actor.capabilities.has(capability);
}

/**
 * What opening a screen or using an action needs: one capability, any one of several (the server's
 * `requireCapability` takes any of a list the same way), or a predicate over the actor's powers.
 */
export type Needs = string | readonly string[] | ((actor: ActorPowers) => boolean);

/** Whether the actor meets `needs`; nothing needed is always met. */
export function actorMeets(actor: ActorPowers, needs: Needs | undefined): boolean {
  if (needs === undefined) return true;
  if (typeof needs === 'function') return actor.provider || needs(actor);
  const list: readonly string[] = typeof needs === 'string' ? [needs] : needs;
  return list.some((c) => actorCan(actor, c));
}

export function actorFromCapabilities(
  capabilities: readonly string[],
  opts: { provider?: boolean; superuser?: boolean } = {},
): ActorPowers {
  return { provider: opts.provider ?? false, superuser: opts.superuser ?? false, capabilities: new Set(capabilities) };
}

export const PROVIDER_ACTOR: ActorPowers = { provider: true, superuser: true, capabilities: new Set() };
