import fc from 'fast-check';
import {
  CAPABILITY_IDS,
  type Capability,
  DEFAULT_ROLE_PERMISSIONS,
  LICENCES,
  NAMED_PERMISSIONS,
  PLANS,
  QUEUE_CAPABILITIES,
  SUPERVISOR_LEVELS,
  type RolePermissions,
} from '../../src/catalog/index.js';
import type {
  DeviceInfo,
  ProfileInfo,
  QueueInfo,
  QueueRole,
  SoftphoneClient,
  TenantAccess,
  UserAccess,
} from '../../src/access/types.js';

/**
 * Small factories and fast-check arbitraries for the access engine (src/access), shared by every
 * test that needs users and tenants in engine shape. Factories give a valid, boring default that a
 * test overrides only where its rule is; arbitraries draw every field at random, including
 * combinations the services would refuse, because the engine must still decide them consistently.
 */

/** Queue, profile and device ids random data draws from: small pools so that users and tenants overlap. */
export const QUEUE_ID_POOL = ['q1', 'q2', 'q3', 'q4', 'q5'] as const;
export const PROFILE_ID_POOL = ['p1', 'p2', 'p3'] as const;
export const DEVICE_ID_POOL = ['d1', 'd2', 'd3'] as const;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

/** An active platform user with Essential and nothing else; SPEC 2 defaults for features and preferences. */
export function makeUser(overrides: Partial<UserAccess> = {}): UserAccess {
  return {
    id: 'u1',
    source: 'platform',
    status: 'active',
    email: 'user@example.test',
    licences: ['essential'],
    supervisorLevel: 'none',
    permissions: [],
    recordingScope: 'own',
    ucClient: { desktop: false, softphone: { enabled: false, clients: [], deviceId: null } },
    groups: [],
    primaryGroup: null,
    workspaces: {},
    contactCenter: { admin: false, queues: {} },
    profile: { kind: 'none' },
    features: {
      channels: 'both',
      recording: false,
      crmOverlay: true,
      dialRestriction: { enabled: false, allowedRegions: [] },
    },
    preferences: { recording: true, crmOverlay: true },
    devices: [],
    ...overrides,
  };
}

export function makeQueue(overrides: Partial<QueueInfo> & { id: string }): QueueInfo {
  return { name: overrides.id.toUpperCase(), kind: 'queue', wrapUpSeconds: 0, ...overrides };
}

export interface TenantOverrides extends Partial<Omit<TenantAccess, 'queues' | 'profiles' | 'rolePermissions'>> {
  queues?: QueueInfo[];
  profiles?: ProfileInfo[];
  /** Merged section by section over DEFAULT_ROLE_PERMISSIONS. */
  rolePermissions?: DeepPartial<RolePermissions>;
}

/** A `basic` tenant in PL with default role permissions; queues and profiles given as arrays. */
export function makeTenant(overrides: TenantOverrides = {}): TenantAccess {
  const { queues = [], profiles = [], rolePermissions = {}, ...rest } = overrides;
  return {
    id: 't1',
    plan: 'basic',
    homeRegion: 'PL',
    policies: { agentAddOn: 'manual' },
    ...rest,
    planFeatures: rest.planFeatures ?? PLANS[rest.plan ?? 'basic']?.features ?? [],
    rolePermissions: mergeRolePermissions(rolePermissions),
    queues: new Map(queues.map((q) => [q.id, q])),
    profiles: new Map(profiles.map((p) => [p.id, p])),
  };
}

export function mergeRolePermissions(partial: DeepPartial<RolePermissions>): RolePermissions {
  return {
    organisation: { ...DEFAULT_ROLE_PERMISSIONS.organisation, ...partial.organisation },
    supervisor: { ...DEFAULT_ROLE_PERMISSIONS.supervisor, ...partial.supervisor },
    agent: { ...DEFAULT_ROLE_PERMISSIONS.agent, ...partial.agent },
  };
}

// ---- arbitraries -------------------------------------------------------------------------------

/** Every role-permission switch at random (including `viewQueueSettings` off, which the API refuses). */
export const arbRolePermissions: fc.Arbitrary<RolePermissions> = fc.record({
  organisation: fc.record({ agentsMayJoinUnassignedQueues: fc.boolean() }),
  supervisor: fc.record({
    configPortal: fc.boolean(),
    restrictToAssignedQueues: fc.boolean(),
    viewQueueSettings: fc.boolean(),
    manageQueueSettings: fc.boolean(),
    viewPauseReasons: fc.boolean(),
    managePauseReasons: fc.boolean(),
    viewSkills: fc.boolean(),
    manageSkills: fc.boolean(),
  }),
  agent: fc.record({
    managePrerecordedMessages: fc.boolean(),
    manageCannedMessages: fc.boolean(),
    createCustomTags: fc.boolean(),
    callDispositions: fc.boolean(),
  }),
});

/**
 * Grants outside the catalog, as a stored row may still hold them (an id since removed, a wildcard):
 * typed as capabilities on purpose, since that is how the engine receives them from the database.
 */
const JUNK_GRANTS = ['nope:nothing', 'users:*'].map((g) => g as Capability);

/** Grants a profile may list: catalog ids (also licence-bound ones a profile must not carry), queue ids and junk. */
export const arbGrantList: fc.Arbitrary<Capability[]> = fc.uniqueArray(
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom<Capability>(...CAPABILITY_IDS) },
    { weight: 1, arbitrary: fc.constantFrom<Capability>(...QUEUE_CAPABILITIES, ...JUNK_GRANTS) },
  ),
  { maxLength: 12 },
);

export const arbQueue = (id: string): fc.Arbitrary<QueueInfo> =>
  fc.record({
    id: fc.constant(id),
    // Few names, so equal names happen and the id tie-break of queue listings is exercised.
    name: fc.constantFrom('Sales', 'Support', 'Billing', 'Alpha'),
    kind: fc.constantFrom('queue' as const, 'inbox' as const, 'campaign' as const),
    wrapUpSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
  });

/** A random tenant: plan (one unknown to the catalog too), role permissions, a subset of the queue and profile pools. */
export const arbTenant: fc.Arbitrary<TenantAccess> = fc
  .record({
    plan: fc.constantFrom(...Object.keys(PLANS), 'legacy'),
    homeRegion: fc.constantFrom('PL', 'DE', 'ES', 'ID'),
    agentAddOn: fc.constantFrom('manual' as const, 'auto' as const),
    rolePermissions: arbRolePermissions,
    queueIds: fc.subarray([...QUEUE_ID_POOL]),
    profiles: fc.uniqueArray(
      fc.record({ id: fc.constantFrom(...PROFILE_ID_POOL), name: fc.constant('Profile'), grants: arbGrantList }),
      { selector: (p) => p.id, maxLength: PROFILE_ID_POOL.length },
    ),
  })
  .chain(({ queueIds, agentAddOn, ...t }) =>
    fc.tuple(...queueIds.map(arbQueue)).map((queues) => makeTenant({ ...t, policies: { agentAddOn }, queues })),
  );

const arbRoles: fc.Arbitrary<QueueRole[]> = fc.subarray(['agent', 'supervisor'] as QueueRole[]);
const arbDevice: fc.Arbitrary<DeviceInfo> = fc.record({
  id: fc.constantFrom(...DEVICE_ID_POOL),
  kind: fc.constantFrom('sip' as const, 'webrtc' as const),
});

/** A random user: every field drawn independently, ids from the shared pools plus unknown ones. */
export const arbUser = (id: string): fc.Arbitrary<UserAccess> =>
  fc.record({
    id: fc.constant(id),
    source: fc.constantFrom('platform' as const, 'manual' as const),
    status: fc.constantFrom('active' as const, 'active' as const, 'suspended' as const, 'removed' as const),
    email: fc.option(fc.constant(`${id}@example.test`)),
    licences: fc.subarray([...LICENCES]),
    supervisorLevel: fc.constantFrom(...SUPERVISOR_LEVELS),
    permissions: fc.subarray([...NAMED_PERMISSIONS]),
    recordingScope: fc.constantFrom('own' as const, 'group' as const, 'all' as const),
    ucClient: fc.record({
      desktop: fc.boolean(),
      softphone: fc.record({
        enabled: fc.boolean(),
        clients: fc.subarray<SoftphoneClient>(['desktop', 'mobile', 'crm']),
        deviceId: fc.option(fc.constantFrom(...DEVICE_ID_POOL)),
      }),
    }),
    groups: fc.constant([]),
    primaryGroup: fc.constant(null),
    workspaces: fc.constant({}),
    contactCenter: fc.record({
      admin: fc.boolean(),
      queues: fc.dictionary(fc.constantFrom(...QUEUE_ID_POOL, 'q-gone'), arbRoles, { maxKeys: 4 }),
    }),
    profile: fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({
        kind: fc.constant('profile' as const),
        profileId: fc.option(fc.constantFrom(...PROFILE_ID_POOL, 'p-gone')),
      }),
      fc.record({ kind: fc.constant('custom' as const), grants: arbGrantList }),
      fc.constant({ kind: 'superuser' as const }),
    ),
    features: fc.record({
      channels: fc.constantFrom('calls' as const, 'sms' as const, 'both' as const, 'none' as const),
      recording: fc.boolean(),
      crmOverlay: fc.boolean(),
      dialRestriction: fc.record({ enabled: fc.boolean(), allowedRegions: fc.subarray(['DE', 'ES', 'US']) }),
    }),
    preferences: fc.record({ recording: fc.boolean(), crmOverlay: fc.boolean() }),
    devices: fc.uniqueArray(arbDevice, { selector: (d) => d.id, maxLength: 2 }),
  });

/** A random tenant with `1..maxUsers` random users (ids u0, u1, ...). */
export const arbScenario = (maxUsers = 6): fc.Arbitrary<{ tenant: TenantAccess; users: UserAccess[] }> =>
  fc.record({
    tenant: arbTenant,
    users: fc
      .integer({ min: 1, max: maxUsers })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbUser(`u${i}`)))),
  });
