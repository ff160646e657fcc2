/** The module x action grid of profiles (seed 003), from the catalog: rows are modules, columns actions. */
import { BILLABLE_CONTENT, CAPABILITIES, PROFILE_MODULES, type CapabilityDef } from '../../../src/contract/index.js';
import type { ActorPowers } from './actor.js';

/** A capability id as the catalog types it (the type of a profile's grants). */
export type CapabilityId = CapabilityDef['id'];

export interface MatrixRow {
  module: string;
  cells: Array<{ action: string; capability: CapabilityId | null }>;
}

const ACTION_ORDER = ['view', 'create', 'edit', 'delete', 'use', 'play', 'monitor', 'live_calls', 'config_portal'];

/** Columns: the actions any grantable capability uses, in a stable, familiar order. */
export const MATRIX_ACTIONS: readonly string[] = (() => {
  const actions = new Set(CAPABILITIES.filter((c) => c.profileGrantable).map((c) => c.action));
  return [...actions].sort((a, b) => {
    const ia = ACTION_ORDER.indexOf(a);
    const ib = ACTION_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
})();

export const MATRIX_ROWS: readonly MatrixRow[] = PROFILE_MODULES.map((module) => ({
  module,
  cells: MATRIX_ACTIONS.map((action) => {
    const cap = CAPABILITIES.find((c) => c.module === module && c.action === action && c.profileGrantable);
    return { action, capability: cap?.id ?? null };
  }),
}));

/** Toggles every grantable action of a module on or off. */
export function setModule(grants: readonly CapabilityId[], module: string, on: boolean): CapabilityId[] {
  const caps =
    MATRIX_ROWS.find((r) => r.module === module)?.cells.flatMap((c) => (c.capability ? [c.capability] : [])) ?? [];
  const rest = grants.filter((g) => !caps.includes(g));
  return on ? [...rest, ...caps] : rest;
}

export function toggleGrant(grants: readonly CapabilityId[], capability: CapabilityId, on: boolean): CapabilityId[] {
  return on
    ? grants.includes(capability)
      ? [...grants]
      : [...grants, capability]
    : grants.filter((g) => g !== capability);
}

/**
 * What an actor may put in a profile or custom grant (C3): what it holds itself, plus billable content,
 * which G15 keeps blocked until the holder has the supervisor level that sells it. `null` = everything
 * (the provider and superusers).
 */
export function grantableBy(actor: ActorPowers): ReadonlySet<string> | null {
  if (actor.provider || actor.superuser) return null;
  return new Set([...actor.capabilities, ...BILLABLE_CONTENT.keys()]);
}
