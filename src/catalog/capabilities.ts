/**
 * The capability catalog (SPEC section 3): every `module:action` Switchboard decides on.
 * Data only. Surface `portal` capabilities need `portal:use` (G1); `app` ones do not;
 * `queue` ones are checked against one queue (`resource: "queue:<id>"`).
 */
export type Surface = 'portal' | 'app' | 'queue';

export interface CapabilityDef {
  readonly id: string;
  readonly module: string;
  readonly action: string;
  readonly surface: Surface;
  /** Whether a profile (or custom grant, or superuser) may carry it (seed 003: module x action). */
  readonly profileGrantable: boolean;
}

const crud = ['view', 'create', 'edit', 'delete'] as const;

/** Portal modules with their actions. Order is the order of the catalog (and of bit positions). */
const portalModules: ReadonlyArray<readonly [string, readonly string[]]> = [
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
];

/** App-surface capabilities; `profileGrantable` marks the contact-center module actions a profile may bundle. */
const appCapabilities: ReadonlyArray<readonly [string, boolean]> = [
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
];

export const QUEUE_CAPABILITIES = [
  'queue:join',
  'queue:view_settings',
  'queue:edit_settings',
  'queue:monitor',
  'queue:reports',
  'queue:disposition',
] as const;
export type QueueCapability = (typeof QUEUE_CAPABILITIES)[number];

function def(id: string, surface: Surface, profileGrantable: boolean): CapabilityDef {
  const [module, action] = id.split(':') as [string, string];
  return { id, module, action, surface, profileGrantable };
}

/** Every unscoped capability (portal and app surfaces), in catalog order. */
export const CAPABILITIES: readonly CapabilityDef[] = [
  ...portalModules.flatMap(([m, actions]) => actions.map((a) => def(`${m}:${a}`, 'portal', true))),
  ...appCapabilities.map(([id, grantable]) => def(id, 'app', grantable)),
];

/** Queue-scoped capabilities. */
export const QUEUE_CAPABILITY_DEFS: readonly CapabilityDef[] = QUEUE_CAPABILITIES.map((id) => def(id, 'queue', false));

export const CAPABILITY_IDS: readonly string[] = CAPABILITIES.map((c) => c.id);
export const CAPABILITY_BY_ID: ReadonlyMap<string, CapabilityDef> = new Map(
  [...CAPABILITIES, ...QUEUE_CAPABILITY_DEFS].map((c) => [c.id, c]),
);
/** Bit position of each unscoped capability in compiled bitsets. */
export const CAPABILITY_INDEX: ReadonlyMap<string, number> = new Map(CAPABILITY_IDS.map((id, i) => [id, i]));

export function isCapability(id: string): boolean {
  return CAPABILITY_BY_ID.has(id);
}
export function isQueueCapability(id: string): id is QueueCapability {
  return (QUEUE_CAPABILITIES as readonly string[]).includes(id);
}

/** Expands `module:*` to every action of that module; other ids pass through. */
export function expandCapabilityPattern(pattern: string): string[] {
  if (!pattern.endsWith(':*')) return [pattern];
  const module = pattern.slice(0, -2);
  return CAPABILITIES.filter((c) => c.module === module).map((c) => c.id);
}

/** Modules whose actions a profile's module x action matrix shows (issue: profiles). */
export const PROFILE_MODULES: readonly string[] = [
  ...new Set(CAPABILITIES.filter((c) => c.profileGrantable).map((c) => c.module)),
];
