import { describe, expect, it } from 'vitest';
import type { SnapshotUser } from './platform.schemas.js';
import { devicesDigest, planSnapshot, type PlanInput, type StoredPlatformUser } from './sync-plan.js';

const device = (n: number) => ({
  externalId: `dev-${n}`,
  name: `Desk ${n}`,
  kind: 'sip' as const,
  sip: { username: `u${n}`, password: `secret-${n}`, realm: 'pbx.example' },
});

const snap = (n: number, extra: Partial<SnapshotUser> = {}): SnapshotUser => ({
  externalId: `ext-${n}`,
  displayName: `User ${n}`,
  email: `u${n}@pbx.example`,
  extension: `${100 + n}`,
  devices: [device(n)],
  acdQueues: [],
  ...extra,
});

/** The stored user a previous sync of `snap(n)` left behind, with `extra` applied (portal edits and the like). */
const stored = (n: number, extra: Partial<StoredPlatformUser> = {}): StoredPlatformUser => {
  const s = snap(n);
  return {
    id: `usr-${n}`,
    externalId: s.externalId,
    displayName: s.displayName,
    email: s.email ?? null,
    platformDisplayName: s.displayName,
    platformEmail: s.email ?? null,
    overrides: { displayName: false, email: false },
    websiteAccess: false,
    extension: s.extension,
    status: 'active',
    licences: ['essential'],
    contactCenter: { admin: false, queues: {} },
    acdQueueIds: [],
    devices: s.devices.map((d) => ({ externalId: d.externalId, name: d.name, kind: d.kind })),
    devicesDigest: devicesDigest(s.devices),
    ...extra,
  };
};

const input = (over: Partial<PlanInput>): PlanInput => ({
  stored: [],
  snapshot: [],
  queueIds: new Map([
    ['q-sales', 'que-sales'],
    ['q-help', 'que-help'],
  ]),
  allQueueIds: new Set(['que-sales', 'que-help']),
  agentAddOn: 'manual',
  agentPool: { cap: null, heldOutsideSync: 0 },
  websiteEmailsElsewhere: new Set(),
  ...over,
});

describe('sync plan: one owner per field (P4)', () => {
  it('P4: an identical snapshot after portal edits (an overridden name, a manual Agent role) changes nothing', () => {
    const edited = stored(1, {
      displayName: 'Ada (portal)',
      overrides: { displayName: true, email: false },
      licences: ['agent', 'essential'],
      acdQueueIds: ['que-sales'],
      // Sales from ACD membership; Help given by hand in the portal.
      contactCenter: { admin: false, queues: { 'que-sales': ['agent'], 'que-help': ['agent', 'supervisor'] } },
    });
    const plan = planSnapshot(
      input({ stored: [edited], snapshot: [snap(1, { acdQueues: ['q-sales'] })], agentAddOn: 'auto' }),
    );
    expect(plan).toMatchObject({ creates: [], updates: [], removes: [], unchanged: 1, conflicts: [] });
  });

  it('P4: the phone system renames an overridden user: the portal name stays, the phone value is recorded', () => {
    const edited = stored(1, { displayName: 'Ada (portal)', overrides: { displayName: true, email: false } });
    const plan = planSnapshot(input({ stored: [edited], snapshot: [snap(1, { displayName: 'Ada King' })] }));
    expect(plan.updates).toHaveLength(1);
    const [u] = plan.updates;
    expect(u!.fields).toEqual(['phoneSystem.displayName']);
    expect(u!.desired).toMatchObject({ displayName: 'Ada (portal)', platformDisplayName: 'Ada King' });
    expect(u!.diff).toEqual({
      before: { 'phoneSystem.displayName': 'User 1' },
      after: { 'phoneSystem.displayName': 'Ada King' },
    });
  });

  it('P4: without an override a rename changes the visible name, reported once as displayName', () => {
    const plan = planSnapshot(input({ stored: [stored(1)], snapshot: [snap(1, { displayName: 'Renamed' })] }));
    expect(plan.updates[0]!.fields).toEqual(['displayName']);
    expect(plan.updates[0]!.desired).toMatchObject({ displayName: 'Renamed', platformDisplayName: 'Renamed' });
    expect(plan.updates[0]!.diff).toEqual({ before: { displayName: 'User 1' }, after: { displayName: 'Renamed' } });
  });

  it('P4: an overridden email stays; the phone system email is recorded beside it', () => {
    const edited = stored(1, { email: 'ada@portal.example', overrides: { displayName: false, email: true } });
    const plan = planSnapshot(input({ stored: [edited], snapshot: [snap(1, { email: 'ada@new-pbx.example' })] }));
    expect(plan.updates[0]!.fields).toEqual(['phoneSystem.email']);
    expect(plan.updates[0]!.desired).toMatchObject({
      email: 'ada@portal.example',
      platformEmail: 'ada@new-pbx.example',
    });
  });

  it('P4, G14: ACD membership is the phone system’s, queue roles the portal’s: joining gives Agent, leaving takes it, manual roles stay', () => {
    const before = stored(1, {
      licences: ['agent', 'essential'],
      acdQueueIds: ['que-sales'],
      contactCenter: { admin: false, queues: { 'que-sales': ['agent'], 'que-help': ['supervisor'] } },
    });
    // The phone system moves the user from Sales to Help.
    const plan = planSnapshot(input({ stored: [before], snapshot: [snap(1, { acdQueues: ['q-help'] })] }));
    expect(plan.updates[0]!.fields.sort()).toEqual(['acdQueues', 'contactCenter']);
    expect(plan.updates[0]!.desired.contactCenter.queues).toEqual({ 'que-help': ['agent', 'supervisor'] });
    expect(plan.updates[0]!.desired.acdQueueIds).toEqual(['que-help']);
  });

  it('A3: under the automatic policy, leaving every ACD queue takes Agent and with it every Agent role (G14)', () => {
    const before = stored(1, {
      licences: ['agent', 'essential'],
      acdQueueIds: ['que-sales'],
      contactCenter: { admin: false, queues: { 'que-sales': ['agent'], 'que-help': ['agent'] } },
    });
    const plan = planSnapshot(input({ stored: [before], snapshot: [snap(1)], agentAddOn: 'auto' }));
    expect(plan.updates[0]!.desired).toMatchObject({ licences: ['essential'], contactCenter: { queues: {} } });
  });
});

describe('sync plan: one bad row never fails the sync (P1, P4)', () => {
  it('P1, G2: an email another user with website access signs in with is a conflict; the user keeps its own', () => {
    const website = stored(1, { websiteAccess: true });
    const plan = planSnapshot(
      input({
        stored: [website, stored(2)],
        snapshot: [snap(1, { email: 'Boss@acme.example' }), snap(2, { displayName: 'Renamed' }), snap(3)],
        websiteEmailsElsewhere: new Set(['boss@acme.example']),
      }),
    );
    expect(plan.conflicts).toEqual([
      {
        externalId: 'ext-1',
        field: 'email',
        code: 'email_not_unique',
        rule: 'G2',
        detail: expect.any(String) as string,
      },
    ]);
    // The phone system's value is recorded; the visible email is not changed.
    expect(plan.updates.find((u) => u.id === 'usr-1')).toMatchObject({
      fields: ['phoneSystem.email'],
      desired: { email: 'u1@pbx.example', platformEmail: 'Boss@acme.example' },
    });
    expect(plan.updates.find((u) => u.id === 'usr-2')?.fields).toEqual(['displayName']);
    expect(plan.creates.map((c) => c.externalId)).toEqual(['ext-3']);
  });

  it('P1, G2: two platform users with website access cannot take the same email, nor one another’s', () => {
    const plan = planSnapshot(
      input({
        stored: [stored(1, { websiteAccess: true }), stored(2, { websiteAccess: true })],
        // 1 takes 2's address while 2 keeps it; then 2 would be a duplicate.
        snapshot: [snap(1, { email: 'U2@pbx.example' }), snap(2)],
      }),
    );
    expect(plan.conflicts.map((c) => [c.externalId, c.code])).toEqual([['ext-1', 'email_not_unique']]);
    expect(plan.updates.find((u) => u.id === 'usr-1')?.desired.email).toBe('u1@pbx.example');
  });

  it('G2: a user with website access keeps its email when the phone system drops it', () => {
    const plan = planSnapshot(
      input({ stored: [stored(1, { websiteAccess: true })], snapshot: [snap(1, { email: null })] }),
    );
    expect(plan.conflicts).toMatchObject([{ externalId: 'ext-1', field: 'email', code: 'email_required' }]);
    expect(plan.updates[0]!.desired).toMatchObject({ email: 'u1@pbx.example', platformEmail: null });
  });

  it('P1: emails of users without website access are not unique, and internationalised addresses pass', () => {
    const plan = planSnapshot(
      input({
        snapshot: [snap(1, { email: 'sławek@example.pl' }), snap(2, { email: 'SŁAWEK@example.pl' })],
        websiteEmailsElsewhere: new Set(['sławek@example.pl']),
      }),
    );
    expect(plan.conflicts).toEqual([]);
    expect(plan.creates.map((c) => c.email)).toEqual(['sławek@example.pl', 'SŁAWEK@example.pl']);
  });

  it('P1: an external id listed twice is a conflict; the first entry counts', () => {
    const plan = planSnapshot(input({ snapshot: [snap(1), snap(1, { displayName: 'Again', extension: '999' })] }));
    expect(plan.creates).toHaveLength(1);
    expect(plan.creates[0]!.displayName).toBe('User 1');
    expect(plan.conflicts).toMatchObject([{ externalId: 'ext-1', field: 'externalId', code: 'duplicate_external_id' }]);
  });

  it('P1: an extension listed twice: the user who has it keeps it, the other keeps its own (or none) and is reported', () => {
    const plan = planSnapshot(
      input({
        stored: [stored(1), stored(2)],
        // 2 claims 1's extension (1 keeps it); 3 is new and claims it too.
        snapshot: [snap(2, { extension: '101' }), snap(1), snap(3, { extension: '101' })],
      }),
    );
    expect(plan.conflicts.map((c) => [c.externalId, c.field, c.code])).toEqual([
      ['ext-2', 'extension', 'extension_not_unique'],
      ['ext-3', 'extension', 'extension_not_unique'],
    ]);
    expect(plan.unchanged).toBe(2);
    expect(plan.creates[0]).toMatchObject({ externalId: 'ext-3', extension: null });
  });

  it('P1: extensions may move between users in one snapshot', () => {
    const plan = planSnapshot(
      input({
        stored: [stored(1), stored(2)],
        snapshot: [snap(1, { extension: '102' }), snap(2, { extension: '101' })],
      }),
    );
    expect(plan.conflicts).toEqual([]);
    expect(plan.updates.map((u) => u.fields)).toEqual([['extension'], ['extension']]);
  });

  it('P1: a device listed under two users stays with the user who has it; the other is imported without it', () => {
    const plan = planSnapshot(
      input({
        stored: [stored(1)],
        snapshot: [snap(2, { devices: [device(1), device(2)] }), snap(1)],
      }),
    );
    expect(plan.conflicts).toMatchObject([
      {
        externalId: 'ext-2',
        field: 'devices',
        code: 'device_not_unique',
        detail: expect.stringContaining('dev-1') as string,
      },
    ]);
    expect(plan.creates[0]!.devices.map((d) => d.externalId)).toEqual(['dev-2']);
    expect(plan.unchanged).toBe(1);
  });

  it('P1: a device may move from a user who leaves the snapshot to another', () => {
    const plan = planSnapshot(input({ stored: [stored(1), stored(2)], snapshot: [snap(2, { devices: [device(1)] })] }));
    expect(plan.conflicts).toEqual([]);
    expect(plan.removes.map((u) => u.id)).toEqual(['usr-1']);
    expect(plan.updates[0]!.fields).toEqual(['devices']);
  });
});
