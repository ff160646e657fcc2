import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { explainCapability } from '../../src/access/explain.js';
import { CAPABILITIES, QUEUE_CAPABILITIES } from '../../src/catalog/index.js';
import type { CheckAnswer, Queue, Profile, UserPage } from '../../src/contract/index.js';
import { loadEffectiveConfigs } from '../../src/modules/access/config-loader.js';
import { loadTenantRows } from '../../src/modules/snapshot/snapshot.repo.js';
import { snapshotsOf } from '../../src/modules/snapshot/snapshot-store.js';
import { TenantSnapshot } from '../../src/modules/snapshot/tenant-snapshot.js';
import { newId } from '../../src/infra/ids.js';
import { serverSuite, uniqueEmail, type Page } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

/**
 * The live snapshot (D7, ARCHITECTURE "Performance design"): after every change made through the
 * API, in any order, the node's snapshot equals a fresh load of the tenant, and its fast path
 * (bitsets) agrees with its explanations on every capability and queue.
 */
describeEachDatabase('live snapshot', (kind) => {
  const { a, server } = serverSuite(kind);

  const live = async (t: string) => (await snapshotsOf(server().deps.db)!.get(t))!;
  const fresh = async (t: string) => TenantSnapshot.fromRows((await loadTenantRows(server().deps.db, t))!);

  async function expectLiveEqualsFresh(t: string): Promise<void> {
    const [l, f] = [await live(t), await fresh(t)];
    // The users as stored, without where the bitsets keep them (`slot`) or the explanations remembered
    // since (`explained`); both are checked against the explanations below.
    const users = (s: TenantSnapshot) =>
      Object.fromEntries(
        [...s.users].sort(([x], [y]) => (x < y ? -1 : 1)).map(([id, { explained: _, slot: __, ...u }]) => [id, u]),
      );
    expect(users(l)).toEqual(users(f));
    expect(l.tenant).toEqual(f.tenant);
    expect(l.tenantVersion).toBe(f.tenantVersion);
    for (const [id, user] of l.users) {
      expect(l.config(id)).toEqual(f.config(id));
      if (user.extension) expect(l.hasExtension(user.extension)).toBe(true);
      // The fast path agrees with the explanations, on the live snapshot; the explanations it remembers
      // (asked before the change too, by the previous call) equal a fresh load's, in JSON as well.
      const fu = f.users.get(id)!;
      for (const { id: cap } of CAPABILITIES) {
        const allowed = explainCapability(user.access, l.tenant, cap).allowed;
        expect(l.compiled.check(id, cap), `${id} ${cap}`).toBe(allowed);
        expect(l.allows(user, l.compiled.keyOf(cap)), `${id} ${cap} by slot`).toBe(allowed);
        const remembered = l.explain(user, cap);
        expect(remembered.decision, `${id} ${cap}`).toEqual(explainCapability(fu.access, f.tenant, cap));
        expect(JSON.parse(remembered.json)).toEqual(remembered.decision);
      }
      for (const q of l.tenant.queues.keys())
        for (const cap of QUEUE_CAPABILITIES) {
          expect(l.compiled.check(id, cap, `queue:${q}`), `${id} ${cap} ${q}`).toBe(
            explainCapability(user.access, l.tenant, cap, `queue:${q}`).allowed,
          );
          expect(l.explain(user, cap, `queue:${q}`).decision, `${id} ${cap} ${q}`).toEqual(
            explainCapability(fu.access, f.tenant, cap, `queue:${q}`),
          );
        }
      // Resources that share a decision key (none, not a queue, an empty id) or have none (an unknown queue).
      for (const cap of [QUEUE_CAPABILITIES[0], 'users:view', 'no:such'])
        for (const resource of [
          undefined,
          'queue:',
          'group:x',
          'queue:unknown',
          `queue:${[...l.tenant.queues.keys()][0]}`,
        ]) {
          const allowed = explainCapability(user.access, l.tenant, cap, resource).allowed;
          expect(l.compiled.check(id, cap, resource)).toBe(allowed);
          expect(l.allows(user, l.compiled.keyOf(cap, resource)), `${id} ${cap} ${resource} by slot`).toBe(allowed);
          expect(l.explain(user, cap, resource).decision, `${id} ${cap} ${resource}`).toEqual(
            explainCapability(fu.access, f.tenant, cap, resource),
          );
        }
    }
  }

  /** The held snapshot a moment later (after the bus has delivered what it was delivering). */
  const settle = async (t: string) => {
    await sleep(300);
    return live(t);
  };

  /** A tenant with platform users on two queues, two manual users and a profile. */
  async function setup() {
    const { id: t } = await a.tenant({ plan: 'record', policies: { agentAddOn: 'auto' } });
    await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      users: [1, 2, 3].map((n) => ({
        externalId: `ext-${n}`,
        displayName: `Agent ${n}`,
        email: null,
        extension: `${200 + n}`,
        devices: [],
        acdQueues: n === 3 ? [] : [n === 1 ? 'q-sales' : 'q-help'],
      })),
      queues: [
        { externalId: 'q-sales', name: 'Sales', kind: 'queue', wrapUpSeconds: 30 },
        { externalId: 'q-help', name: 'Help', kind: 'queue', wrapUpSeconds: 0 },
      ],
    });
    const profile = (
      await a.asProvider<Profile>('POST', `/v1/tenants/${t}/profiles`, { name: 'Reports', grants: ['reports:view'] })
    ).body;
    await a.user(t, { email: uniqueEmail(), permissions: ['website_access'] });
    await a.user(t, { email: uniqueEmail(), permissions: ['website_access', 'manage_users'] });
    const users = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items.map((u) => u.id);
    const queues = (await a.asProvider<Page<Queue>>('GET', `/v1/tenants/${t}/queues`)).body.items.map((q) => q.id);
    return { t, users, queues, profile: profile.id };
  }

  type Env = Awaited<ReturnType<typeof setup>>;
  type Op = (env: Env) => Promise<unknown>;
  const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

  const arbOp: fc.Arbitrary<Op> = fc.oneof(
    fc
      .record({
        u: fc.nat(),
        licences: fc.subarray(['essential', 'agent', 'crm', 'softphone'] as const),
        supervisorLevel: fc.constantFrom('none', 'reports', 'dashboards', 'wallboards'),
        channels: fc.constantFrom('calls', 'sms', 'both', 'none'),
        recording: fc.boolean(),
        restricted: fc.boolean(),
      })
      .map(
        (p): Op =>
          (env) =>
            a.asProvider('PATCH', `/v1/tenants/${env.t}/users/${pick(env.users, p.u)}`, {
              licences: p.licences,
              supervisorLevel: p.supervisorLevel,
              features: {
                channels: p.channels,
                recording: p.recording,
                dialRestriction: { enabled: p.restricted, allowedRegions: ['DE'] },
              },
            }),
      ),
    fc.record({ u: fc.nat(), q: fc.nat(), roles: fc.subarray(['agent', 'supervisor'] as const) }).map(
      (p): Op =>
        (env) =>
          a.asProvider('PATCH', `/v1/tenants/${env.t}/users/${pick(env.users, p.u)}`, {
            contactCenter: { queues: { [pick(env.queues, p.q)]: p.roles } },
          }),
    ),
    fc.record({ u: fc.nat(), admin: fc.boolean(), profile: fc.boolean() }).map(
      (p): Op =>
        (env) =>
          a.asProvider('PATCH', `/v1/tenants/${env.t}/users/${pick(env.users, p.u)}`, {
            contactCenter: { admin: p.admin },
            profile: p.profile ? { kind: 'profile', profileId: env.profile } : { kind: 'none' },
          }),
    ),
    fc.record({ u: fc.nat(), status: fc.constantFrom('active', 'suspended') }).map(
      (p): Op =>
        (env) =>
          a.asProvider('PATCH', `/v1/tenants/${env.t}/users/${pick(env.users, p.u)}`, { status: p.status }),
    ),
    fc.constantFrom('basic', 'reach', 'record').map(
      (plan): Op =>
        (env) =>
          a.asProvider('PATCH', `/v1/tenants/${env.t}`, { plan }),
    ),
    fc
      .record({ join: fc.boolean(), restrict: fc.boolean(), dispositions: fc.boolean() })
      .map((p): Op => async (env) => {
        const rp = (
          await a.asProvider<Record<string, Record<string, boolean>>>('GET', `/v1/tenants/${env.t}/role-permissions`)
        ).body;
        return a.asProvider('PUT', `/v1/tenants/${env.t}/role-permissions`, {
          organisation: { agentsMayJoinUnassignedQueues: p.join },
          supervisor: { ...rp.supervisor, restrictToAssignedQueues: p.restrict },
          agent: { ...rp.agent, callDispositions: p.dispositions },
        });
      }),
    fc.nat({ max: 60 }).map((wrapUpSeconds): Op => async (env) => {
      const r = await a.asProvider<Queue>('POST', `/v1/tenants/${env.t}/queues`, {
        name: `Q ${wrapUpSeconds}`,
        wrapUpSeconds,
      });
      if (r.status === 201) env.queues.push(r.body.id);
      return r;
    }),
    fc.subarray(['reports:view', 'groups:view', 'campaigns:view'] as const, { minLength: 1 }).map(
      (grants): Op =>
        (env) =>
          a.asProvider('PATCH', `/v1/tenants/${env.t}/profiles/${env.profile}`, { grants }),
    ),
    fc.constant<Op>(async (env) => {
      const u = await a.user(env.t, { email: uniqueEmail(), permissions: ['website_access'] });
      env.users.push(u.id);
    }),
    fc.nat().map((i): Op => async (env) => {
      const id = pick(env.users, i);
      const r = await a.asProvider('DELETE', `/v1/tenants/${env.t}/users/${id}`);
      if (r.status === 204) env.users.splice(env.users.indexOf(id), 1);
      return r;
    }),
  );

  it('D7: after every change, in any order, the live snapshot equals a fresh load, and its bitsets agree with its explanations (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbOp, { minLength: 1, maxLength: 6 }), async (ops) => {
        const env = await setup();
        await live(env.t); // warm: every change below reaches it through the bus
        await expectLiveEqualsFresh(env.t);
        for (const op of ops) {
          await op(env);
          await expectLiveEqualsFresh(env.t);
        }
      }),
      { numRuns: 8 },
    );
  }, 300_000);

  it('D2: role permissions and profiles recompile the held snapshot in place (no reload), equal to a fresh load', async () => {
    const env = await setup();
    // The bus's echoes of the setup's writes (made before the tenant was held) settle first.
    let held = await live(env.t);
    for (let again = await settle(env.t); again !== held; again = await settle(env.t)) held = again;
    await expectLiveEqualsFresh(env.t); // its explanations remembered before the changes below
    const rp = (
      await a.asProvider<Record<string, Record<string, boolean>>>('GET', `/v1/tenants/${env.t}/role-permissions`)
    ).body;
    const put = await a.asProvider('PUT', `/v1/tenants/${env.t}/role-permissions`, {
      supervisor: rp.supervisor,
      organisation: { agentsMayJoinUnassignedQueues: !rp.organisation!.agentsMayJoinUnassignedQueues },
      agent: { ...rp.agent, callDispositions: !rp.agent!.callDispositions },
    });
    expect(put.status).toBe(200);
    expect(await live(env.t)).toBe(held);
    await expectLiveEqualsFresh(env.t);
    const edited = await a.asProvider('PATCH', `/v1/tenants/${env.t}/profiles/${env.profile}`, {
      grants: ['groups:view'],
    });
    expect(edited.status).toBe(200);
    const created = await a.asProvider<Profile>('POST', `/v1/tenants/${env.t}/profiles`, {
      name: 'Campaigns',
      grants: ['campaigns:view'],
    });
    expect(created.status).toBe(201);
    expect(await live(env.t)).toBe(held);
    expect(held.tenant.profiles.get(created.body.id)?.grants).toEqual(['campaigns:view']);
    await expectLiveEqualsFresh(env.t);
    // A change made on another tenant version than the snapshot's is not applied: the store reloads.
    const before = held.tenantVersion;
    expect(
      held.applyTenantDelta({ previousVersion: before - 1, rolePermissions: held.tenant.rolePermissions }, before + 1),
    ).toBe(false);
    expect(held.tenantVersion).toBe(before);
    // A change without what it changed (a queue) reloads the tenant.
    await a.asProvider('POST', `/v1/tenants/${env.t}/queues`, { name: 'Q new', wrapUpSeconds: 0 });
    expect(await live(env.t)).not.toBe(held);
    await expectLiveEqualsFresh(env.t);
  });

  it('D2, F4: a plan edit recompiles the held snapshot of a tenant on the plan in place, equal to a fresh load', async () => {
    const key = `own-${newId('p').slice(-8).toLowerCase()}`;
    const plan = await a.asProvider('POST', '/v1/plans', { key, name: 'Own', features: ['calls', 'recording'] });
    expect(plan.status).toBe(201);
    const { id: t } = await a.tenant({ plan: key });
    await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      users: [{ externalId: 'ext-1', displayName: 'Pat', email: null, extension: '201', devices: [], acdQueues: [] }],
      queues: [],
    });
    let held = await live(t);
    for (let again = await settle(t); again !== held; again = await settle(t)) held = again;
    await expectLiveEqualsFresh(t);
    const edited = await a.asProvider('PATCH', `/v1/plans/${key}`, { features: ['calls', 'sms', 'dial_restriction'] });
    expect(edited.status).toBe(200);
    expect(await live(t)).toBe(held);
    expect(held.tenant.planFeatures).toEqual(['calls', 'sms', 'dial_restriction']);
    await expectLiveEqualsFresh(t);
  });

  it('G5, D1: SIP credentials are served from the snapshot, sealed there and opened on answer', async () => {
    const { id: t } = await a.tenant();
    const sip = { username: 'u1', password: 'secret-sip-1', realm: 'pbx.example' };
    await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      users: [
        {
          externalId: 'ext-1',
          displayName: 'Pat',
          email: uniqueEmail('pat'),
          extension: '201',
          devices: [{ externalId: 'dev-1', name: 'Desk', kind: 'sip', sip }],
          acdQueues: [],
        },
      ],
      queues: [],
    });
    const pat = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items[0]!;
    const deviceId = pat.devices[0]!.id;
    const patched = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${pat.id}`, {
      licences: ['essential', 'softphone'],
      ucClient: { softphone: { enabled: true, clients: ['desktop'], deviceId } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const held = (await live(t)).users.get(pat.id)!;
    expect(held.softphone).toMatchObject({ id: deviceId, kind: 'sip' });
    expect(JSON.stringify(held)).not.toContain('secret-sip-1');
    const { db, secrets } = server().deps;
    const fromSnapshot = async () => (await loadEffectiveConfigs(db, secrets, t, [pat.id])).get(pat.id)!;
    expect((await fromSnapshot()).softphone).toMatchObject({ device: { id: deviceId, sip } });
    // Proof it is not read from the database: rows changed past the services (and the bus) do not show
    // until the tenant reloads, while a transaction reads its own rows.
    const other = { username: 'u1', password: 'rotated', realm: 'pbx.example' };
    await db
      .updateTable('devices')
      .set({ sip_secret: secrets.seal(JSON.stringify(other)) })
      .where('id', '=', deviceId)
      .execute();
    expect((await fromSnapshot()).softphone).toMatchObject({ device: { sip } });
    const inTx = await db.transaction().execute((tx) => loadEffectiveConfigs(tx, secrets, t, [pat.id]));
    expect(inTx.get(pat.id)!.softphone).toMatchObject({ device: { sip: other } });
    snapshotsOf(db)!.invalidate(t);
    expect((await fromSnapshot()).softphone).toMatchObject({ device: { sip: other } });
    // Without secrets (a push to other than the user's own client), none are opened.
    const bare = (await loadEffectiveConfigs(db, secrets, t, [pat.id], false)).get(pat.id)!;
    expect(JSON.stringify(bare)).not.toContain('rotated');
  });

  it('D7: answers carry the version they were decided at; minVersion from a write is honoured, one from the future is refused', async () => {
    const { t, users } = await setup();
    const w = await a.asProvider<{ version: number }>('PATCH', `/v1/tenants/${t}/users/${users[0]}`, {
      features: { channels: 'sms' },
    });
    expect(w.status).toBe(200);
    const checks = [{ userId: users[0]!, capability: 'telephony:call' }];
    const r = await a.asProvider<CheckAnswer>('POST', `/v1/tenants/${t}/check`, { checks, minVersion: w.body.version });
    expect(r.status).toBe(200);
    expect(r.body.version).toBeGreaterThanOrEqual(w.body.version);
    expect(r.body.results[0]!.allowed).toBe(false);
    const quick = await a.asProvider('POST', `/v1/tenants/${t}/check`, { checks, explain: false });
    expect(quick.body).toEqual({ version: expect.any(Number) as number, results: [{ allowed: false }] });
    const future = await a.asProvider('POST', `/v1/tenants/${t}/check`, { checks, minVersion: w.body.version + 1e9 });
    expect(future.status).toBe(400);
    expect(future.body).toMatchObject({ code: 'validation_failed', rule: 'D7', field: '/minVersion' });
    const access = await a.asProvider<{ version: number }>(
      'GET',
      `/v1/tenants/${t}/users/${users[0]}/access?minVersion=${w.body.version}`,
    );
    expect(access.status).toBe(200);
    expect(access.body.version).toBe(w.body.version);
  });

  it('X2: a batch of 1,000 checks answers in order, the same as one check at a time', async () => {
    const { t, users, queues } = await setup();
    const checks = Array.from({ length: 1000 }, (_, i) => ({
      userId: pick(users, i),
      capability: i % 3 === 0 ? 'queue:join' : pick(CAPABILITIES, i).id,
      ...(i % 3 === 0 ? { resource: `queue:${pick(queues, i)}` } : {}),
    }));
    const batch = await a.asProvider<CheckAnswer>('POST', `/v1/tenants/${t}/check`, { checks });
    expect(batch.status).toBe(200);
    for (const i of [0, 1, 2, 499, 998, 999]) {
      const one = await a.asProvider<CheckAnswer>('POST', `/v1/tenants/${t}/check`, { checks: [checks[i]] });
      expect(batch.body.results[i]).toEqual(one.body.results[0]);
    }
  });
});
