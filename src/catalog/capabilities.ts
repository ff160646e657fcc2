/**
 * The capability catalog (SPEC section 3): every `module:action` Switchboard decides on.
 * Data only. Surface `portal` capabilities need `portal:use` (G1); `app` ones do not;
 * `queue` ones are checked against one queue (`resource: "queue:<id>"`).
 */
export type Surface = 'portal' | 'app' | 'queue';

export interface CapabilityDef {
  readonly id: Capability;
  readonly module: string;
  readonly action: string;
  readonly surface: Surface;
  /** Whether a profile (or custom grant, or superuser) may carry it (seed 003: module x action). */
  readonly profileGrantable: boolean;
}

const crud = ['view', 'create', 'edit', 'delete'] as const;

/** Portal modules with their actions. Order is the order of the catalog (and of bit positions). */
const PORTAL_MODULES = [
  ['users', crud],
  ['billing', ['edit']],
  ['settings', ['view', 'edit']],
  ['directory', crud],
  ['workspaces', crud],
  ['api_tokens', ['view', 'create', 'delete']],
  ['agent_state', ['edit']],
  ['live_calls', ['monitor']],
  ['webhooks', crud],
  ['recordings', ['play']],
  ['reports', ['view']],
  ['dashboards', ['view', 'live_calls']],
  ['wallboards', ['view']],
  ['cc_data', ['view']],
  ['profiles', crud],
  ['groups', crud],
  ['queues', crud],
  ['campaigns', crud],
  ['connectors', crud],
] as const;

/** App-surface capabilities; `profileGrantable` marks the contact-center module actions a profile may bundle. */
const APP_CAPABILITIES = [
  ['portal:use', false],
  ['inbox:use', false],
  ['agenda:use', false],
  ['cc:admin', false],
  ['cc:agent', false],
  ['cc:config_portal', true],
  ['pause_reasons:view', true],
  ['pause_reasons:edit', true],
  ['skills:view', true],
  ['skills:edit', true],
  ['prerecorded_messages:edit', true],
  ['canned_messages:edit', true],
  ['tags:create', true],
  ['ucclient:desktop', false],
  ['ucclient:crm', false],
  ['softphone:use', false],
  ['telephony:call', false],
  ['telephony:sms', false],
  ['telephony:record', false],
  ['crm:overlay', false],
] as const;

export const QUEUE_CAPABILITIES = [
  'queue:join',
  'queue:view_settings',
  'queue:edit_settings',
  'queue:monitor',
  'queue:reports',
  'queue:disposition',
] as const;
export type QueueCapability = (typeof QUEUE_CAPABILITIES)[number];

/** `module:action` for every action of every portal module, as a literal type. */
type PortalCapability = (typeof PORTAL_MODULES)[number] extends infer E
  ? E extends readonly [infer M extends string, readonly (infer A extends string)[]]
    ? `${M}:${A}`
    : never
  : never;
type AppCapability = (typeof APP_CAPABILITIES)[number][0];
/** A capability decided for the tenant as a whole (portal and app surfaces): one bit each in compiled sets. */
export type UnscopedCapability = PortalCapability | AppCapability;
/** Every capability id of the catalog: a typo such as `'users:veiw'` does not compile. */
export type Capability = UnscopedCapability | QueueCapability;

function def(id: Capability, surface: Surface, profileGrantable: boolean): CapabilityDef {
  const [module, action] = id.split(':') as [string, string];
  return { id, module, action, surface, profileGrantable };
}

/** Every unscoped capability (portal and app surfaces), in catalog order. */
export const CAPABILITIES: readonly CapabilityDef[] = [
  ...PORTAL_MODULES.flatMap(([m, actions]) =>
    actions.map((a: string) => def(`${m}:${a}` as PortalCapability, 'portal', true)),
  ),
  ...APP_CAPABILITIES.map(([id, grantable]) => def(id, 'app', grantable)),
];

/** Queue-scoped capabilities. */
export const QUEUE_CAPABILITY_DEFS: readonly CapabilityDef[] = QUEUE_CAPABILITIES.map((id) => def(id, 'queue', false));

export const CAPABILITY_IDS: readonly UnscopedCapability[] = CAPABILITIES.map((c) => c.id as UnscopedCapability);
export const CAPABILITY_BY_ID: ReadonlyMap<string, CapabilityDef> = new Map(
  [...CAPABILITIES, ...QUEUE_CAPABILITY_DEFS].map((c) => [c.id, c]),
);
/** Every capability id, unscoped and queue-scoped. */
export const ALL_CAPABILITY_IDS: readonly Capability[] = [...CAPABILITY_IDS, ...QUEUE_CAPABILITIES];
/** Bit position of each unscoped capability in compiled bitsets. */
export const CAPABILITY_INDEX: ReadonlyMap<string, number> = new Map(CAPABILITY_IDS.map((id, i) => [id, i]));

export function isCapability(id: string): id is Capability {
  return CAPABILITY_BY_ID.has(id);
}
/** Expands `module:*` to every action of that module; other ids pass through. */
export function expandCapabilityPattern(pattern: Capability | `${string}:*`): Capability[] {
  if (!pattern.endsWith(':*')) return [pattern as Capability];
  const module = pattern.slice(0, -2);
  return CAPABILITIES.filter((c) => c.module === module).map((c) => c.id);
}

/** Modules whose actions a profile's module x action matrix shows (issue: profiles). */
export const PROFILE_MODULES: readonly string[] = [
  ...new Set(CAPABILITIES.filter((c) => c.profileGrantable).map((c) => c.module)),
];
