/**
 * Checks bench: Switchboard's compiled snapshot (CompiledTenant.check) against node-casbin and CASL
 * holding the same effective policy, on one realistic 100,000-user, 2,000-queue tenant.
 * Run through bench/run.ts (which provides `global.gc`).
 */
import { createMongoAbility, subject as caslSubject, type MongoAbility, type RawRuleOf } from '@casl/ability';
import { newEnforcer, newModelFromString, PolicyLoader, type Adapter, type Enforcer, type Model } from 'casbin';
import {
  CAPABILITIES,
  CAPABILITY_IDS,
  NAMED_PERMISSIONS,
  QUEUE_CAPABILITIES,
  type NamedPermission,
  type SupervisorLevel,
} from '../src/catalog/index.js';
import { CompiledTenant } from '../src/access/compile.js';
import type { QueueInfo, QueueRole, TenantAccess, UserAccess } from '../src/access/types.js';
import { makeTenant, makeUser } from '../test/support/access-factories.js';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const QUEUES = Number(process.env.BENCH_QUEUES ?? 2_000);
/** Users loaded into casbin and CASL (their builds are too slow / large for 100k in a 2-minute run). */
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 10_000);
const BATCH = 1_000;
const AGREEMENT_CASBIN = 4_000;

// ---- a realistic tenant ------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32) so every run measures the same tenant. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261122);
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const some = <T>(xs: readonly T[], n: number): T[] => [...new Set(Array.from({ length: n }, () => pick(xs)))];

function buildTenant(): TenantAccess {
  const queues: QueueInfo[] = Array.from({ length: QUEUES }, (_, i) => ({
    id: `q${i}`,
    name: `Queue ${String(i).padStart(4, '0')}`,
    kind: 'queue',
    wrapUpSeconds: rand() < 0.4 ? 0 : int(10, 120),
  }));
  const grantable = CAPABILITIES.filter((c) => c.profileGrantable).map((c) => c.id);
  return makeTenant({
    id: 'bench',
    plan: 'record',
    queues,
    profiles: Array.from({ length: 10 }, (_, i) => ({
      id: `p${i}`,
      name: `Profile ${i}`,
      grants: some(grantable, int(3, 8)),
    })),
    rolePermissions: {
      supervisor: { configPortal: true, viewPauseReasons: true, viewSkills: true },
      agent: { managePrerecordedMessages: true, manageCannedMessages: true, callDispositions: true },
    },
  });
}

const LEVELS: SupervisorLevel[] = ['report', 'analytics', 'live', 'contact_center'];
const ADMIN_PERMISSIONS = NAMED_PERMISSIONS.filter((p) => p !== 'website_access');

/** 80% agents on 1-5 queues, 10% supervisors, 3% admins (few contact admins, fewer superusers), profiles, manual and suspended users. */
function buildUsers(tenant: TenantAccess): UserAccess[] {
  const queueIds = [...tenant.queues.keys()];
  const roles = (role: QueueRole, n: number) => Object.fromEntries(some(queueIds, n).map((q) => [q, [role]]));
  const users: UserAccess[] = [];
  for (let i = 0; i < USERS; i++) {
    const id = `u${i}`,
      r = rand();
    const agentLicences = [
      'essential',
      'agent',
      ...(rand() < 0.3 ? ['crm'] : []),
      ...(rand() < 0.2 ? ['softphone'] : []),
    ] as UserAccess['licences'];
    const device = { id: `d${i}`, kind: rand() < 0.5 ? ('webrtc' as const) : ('sip' as const) };
    const base = makeUser({
      id,
      licences: agentLicences,
      devices: [device],
      ucClient: {
        desktop: rand() < 0.7,
        softphone: { enabled: agentLicences.includes('softphone'), clients: ['desktop'], deviceId: device.id },
      },
      features: {
        channels: 'both',
        recording: rand() < 0.5,
        crmOverlay: true,
        dialRestriction: { enabled: false, allowedRegions: [] },
      },
    });
    const web = (...p: NamedPermission[]): NamedPermission[] => ['website_access', ...p];
    if (r < 0.8) {
      users.push({ ...base, contactCenter: { admin: false, queues: roles('agent', int(1, 5)) } });
    } else if (r < 0.9) {
      const queues = roles('supervisor', int(2, 20));
      if (rand() < 0.5) Object.assign(queues, roles('agent', int(1, 3)));
      users.push({
        ...base,
        licences: rand() < 0.5 ? ['essential', 'agent'] : ['essential'],
        supervisorLevel: pick(LEVELS),
        permissions: web(...some(['silent_monitor', 'supervisor_agent_control', 'recording_playback'] as const, 2)),
        contactCenter: { admin: false, queues },
      });
    } else if (r < 0.93) {
      const superuser = rand() < 0.01;
      users.push({
        ...base,
        licences: ['essential'],
        permissions: web(...some(ADMIN_PERMISSIONS, int(2, 6))),
        contactCenter: { admin: rand() < 0.07, queues: {} },
        profile: superuser ? { kind: 'superuser' } : { kind: 'none' },
      });
    } else if (r < 0.96) {
      const profile =
        rand() < 0.8
          ? { kind: 'profile' as const, profileId: `p${int(0, 9)}` }
          : { kind: 'custom' as const, grants: some(CAPABILITY_IDS, int(2, 6)) };
      users.push({
        ...base,
        permissions: web(),
        profile,
        contactCenter: { admin: false, queues: rand() < 0.5 ? roles('agent', int(1, 2)) : {} },
      });
    } else if (r < 0.98) {
      users.push(makeUser({ id, source: 'manual', licences: [], permissions: web(), supervisorLevel: 'report' }));
    } else {
      users.push({ ...base, status: 'suspended', contactCenter: { admin: false, queues: roles('agent', int(1, 3)) } });
    }
  }
  return users;
}

interface Check {
  userId: string;
  capability: string;
  resource?: string;
}

/** Half unscoped (any catalog capability), half queue-scoped (70% on one of the user's queues, else any queue). */
function buildChecks(users: readonly UserAccess[], queueIds: readonly string[], n: number): Check[] {
  return Array.from({ length: n }, (_, i) => {
    const user = pick(users);
    if (i % 2 === 0) return { userId: user.id, capability: pick(CAPABILITY_IDS) };
    const own = Object.keys(user.contactCenter.queues);
    const queue = own.length > 0 && rand() < 0.7 ? pick(own) : pick(queueIds);
    return { userId: user.id, capability: pick(QUEUE_CAPABILITIES), resource: `queue:${queue}` };
  });
}

// ---- measurement helpers ------------------------------------------------------------------------

function gc(): void {
  globalThis.gc?.();
  globalThis.gc?.();
}
/** Heap plus ArrayBuffer memory: typed arrays live outside the JS heap. */
function memoryNow(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function measureBuild<T>(build: () => T | Promise<T>): Promise<{ value: T; ms: number; bytes: number }> {
  gc();
  const before = memoryNow();
  const t0 = process.hrtime.bigint();
  const value = await build();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  gc();
  return { value, ms, bytes: memoryNow() - before };
}

interface Timing {
  checks: number;
  perSecond: number;
  p50ns: number;
  p99ns: number;
  allowed: number;
}

/**
 * Runs `checks` in batches of `batch`, timing each batch with hrtime; per-check latency is batch time / batch
 * size, so p99 is over batches, not single calls (a single check is below the timer's useful resolution).
 * Stops after `budgetMs` (whole batches only).
 */
function timeChecks(
  checks: readonly Check[],
  fn: (c: Check) => boolean,
  batch = BATCH,
  budgetMs = 4_000,
  passes = 1,
): Timing {
  for (let i = 0; i < Math.min(checks.length, 20_000); i++) fn(checks[i]!); // warm-up
  const perCheck: number[] = [];
  let total = 0n,
    done = 0,
    allowed = 0;
  outer: for (let pass = 0; pass < passes; pass++) {
    for (let start = 0; start + batch <= checks.length; start += batch) {
      const t0 = process.hrtime.bigint();
      for (let i = start; i < start + batch; i++) if (fn(checks[i]!)) allowed++;
      const dt = process.hrtime.bigint() - t0;
      total += dt;
      done += batch;
      perCheck.push(Number(dt) / batch);
      if (Number(total) / 1e6 > budgetMs) break outer;
    }
  }
  perCheck.sort((a, b) => a - b);
  const q = (p: number) => perCheck[Math.min(perCheck.length - 1, Math.floor(p * perCheck.length))]!;
  return { checks: done, perSecond: done / (Number(total) / 1e9), p50ns: q(0.5), p99ns: q(0.99), allowed };
}

// ---- the same effective policy in casbin and CASL ------------------------------------------------

interface EffectivePolicy {
  userId: string;
  capabilities: string[];
  queues: Array<{ id: string; capabilities: string[] }>;
}

/**
 * casbin RBAC with domains: one role per capability (`can:<cap>`, 76 policy lines: casbin evaluates the matcher
 * once per policy line, so fewer lines is its fastest shape), users linked to the roles of their effective
 * capabilities in domain `tenant`, or in domain `queue:<id>` for queue-scoped ones (the queue is the object).
 */
const CASBIN_MODEL = `
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, act
[role_definition]
g = _, _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = r.act == p.act && g(r.sub, p.sub, r.obj)
`;

/** An in-memory adapter: casbin's own line loader with a plain split (ids hold no commas), not CSV parsing. */
function memoryAdapter(lines: string[][]): Adapter {
  const loader = new PolicyLoader({ parse: (line: string) => [line.split(',')] });
  const unsupported = () => Promise.reject(new Error('read-only bench adapter'));
  return {
    // Drops its copy once loaded, so the memory measured is casbin's own.
    loadPolicy: (model: Model) => {
      for (const l of lines.splice(0)) loader.loadPolicyLine(l.join(','), model);
      return Promise.resolve();
    },
    savePolicy: unsupported,
    addPolicy: unsupported,
    removePolicy: unsupported,
    removeFilteredPolicy: unsupported,
  };
}

async function buildCasbin(policies: readonly EffectivePolicy[]): Promise<Enforcer> {
  const lines: string[][] = [...CAPABILITY_IDS, ...QUEUE_CAPABILITIES].map((c) => ['p', `can:${c}`, c]);
  for (const p of policies) {
    for (const c of p.capabilities) lines.push(['g', p.userId, `can:${c}`, 'tenant']);
    for (const q of p.queues) for (const c of q.capabilities) lines.push(['g', p.userId, `can:${c}`, `queue:${q.id}`]);
  }
  return newEnforcer(newModelFromString(CASBIN_MODEL), memoryAdapter(lines));
}

const SPLIT = new Map<string, [string, string]>(
  [...CAPABILITY_IDS, ...QUEUE_CAPABILITIES].map((c) => [c, c.split(':') as [string, string]]),
);

/** CASL: one ability per user (the usual `defineAbilityFor(user)`), `action` on a module subject; queue rules as conditions on `Queue`. */
function buildCasl(policies: readonly EffectivePolicy[]): Map<string, MongoAbility> {
  const abilities = new Map<string, MongoAbility>();
  for (const p of policies) {
    const rules: RawRuleOf<MongoAbility>[] = p.capabilities.map((c) => ({
      action: SPLIT.get(c)![1],
      subject: SPLIT.get(c)![0],
    }));
    for (const qc of QUEUE_CAPABILITIES) {
      const ids = p.queues.filter((q) => q.capabilities.includes(qc)).map((q) => q.id);
      if (ids.length > 0) rules.push({ action: SPLIT.get(qc)![1], subject: 'Queue', conditions: { id: { $in: ids } } });
    }
    abilities.set(p.userId, createMongoAbility(rules));
  }
  return abilities;
}

// ---- the bench -----------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ns = (x: number) => (x >= 1000 ? `${fmt(x / 1000, 1)} µs` : `${fmt(x)} ns`);

/**
 * Builds the 100k tenant, compiles it, times setTenant, and keeps only what the timing phase needs (the
 * snapshot, a sample of users, check lists): the 100k input records are dropped so that the libraries
 * that allocate per check are not timed against a needlessly large heap.
 */
async function prepare() {
  const tenant = buildTenant();
  const users = buildUsers(tenant);
  const queueIds = [...tenant.queues.keys()];
  const build = await measureBuild(() => CompiledTenant.build(tenant, users));
  const compiled = build.value;

  // setTenant after a role-permission change (toggle two settings back and forth).
  const changed = {
    ...tenant,
    rolePermissions: {
      ...tenant.rolePermissions,
      supervisor: { ...tenant.rolePermissions.supervisor, manageQueueSettings: true },
      agent: { ...tenant.rolePermissions.agent, createCustomTags: true },
    },
  };
  const recompiles: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = process.hrtime.bigint();
    compiled.setTenant(i % 2 === 0 ? changed : tenant);
    recompiles.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  recompiles.sort((a, b) => a - b);

  const step = Math.max(1, Math.floor(users.length / SAMPLE));
  const sample = users.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  return {
    tenant,
    compiled,
    queueIds,
    sample,
    step,
    userCount: users.length,
    build,
    recompiles,
    full: buildChecks(users, queueIds, 400_000),
    sampled: buildChecks(sample, queueIds, 200_000),
  };
}

/** Runs the checks bench and returns its Markdown section. */
export async function run(): Promise<string> {
  const { tenant, compiled, queueIds, sample, step, userCount, build: sb, recompiles, full, sampled } = await prepare();
  // The effective policy Switchboard computed for the sample is what casbin and CASL hold.
  const policies: EffectivePolicy[] = sample.map((u) => ({
    userId: u.id,
    capabilities: compiled.allowedCapabilities(u.id),
    queues: compiled.queueCapabilities(u.id).map((q) => ({ id: q.id, capabilities: q.capabilities })),
  }));
  const cb = await measureBuild(() => buildCasbin(policies));
  const cl = await measureBuild(() => buildCasl(policies));
  const casbin = cb.value,
    casl = cl.value;
  const queueSubjects = new Map(queueIds.map((id) => [`queue:${id}`, caslSubject('Queue', { id })]));
  // The same users held as casbin and CASL hold, for a like-for-like comparison (the 100k snapshot
  // above answers the same list, with ten times more users in its maps and arrays).
  const compiledSample = CompiledTenant.build(tenant, sample);
  const sbSampleCheck = (c: Check) => compiledSample.check(c.userId, c.capability, c.resource);

  const sbCheck = (c: Check) => compiled.check(c.userId, c.capability, c.resource);
  const casbinCheck = (c: Check) => casbin.enforceSync(c.userId, c.resource ?? 'tenant', c.capability);
  const caslCheck = (c: Check) => {
    const [subjectName, action] = SPLIT.get(c.capability)!;
    const ability = casl.get(c.userId);
    if (!ability) return false;
    if (subjectName !== 'queue') return ability.can(action, subjectName);
    const queue = c.resource ? queueSubjects.get(c.resource) : undefined;
    return queue !== undefined && ability.can(action, queue);
  };

  // Identical answers first: a faster wrong answer would not count (casbin on fewer: it is slow).
  let disagreements = 0;
  sampled.slice(0, 20_000).forEach((c, i) => {
    const a = sbCheck(c);
    if (caslCheck(c) !== a || (i < AGREEMENT_CASBIN && casbinCheck(c) !== a)) disagreements++;
  });
  gc();
  const heapDuringChecks = memoryNow();

  const rows: Array<[string, string, Timing]> = [];
  for (const [kind, pred] of [
    ['unscoped', (c: Check) => !c.resource],
    ['queue-scoped', (c: Check) => !!c.resource],
  ] as const) {
    const list = sampled.filter(pred);
    rows.push([
      kind,
      `Switchboard (all ${fmt(userCount)} users)`,
      timeChecks(full.filter(pred), sbCheck, BATCH, 2_000, 5),
    ]);
    rows.push([kind, 'Switchboard', timeChecks(list, sbCheck, BATCH, 2_000, 5)]);
    rows.push([
      kind,
      `Switchboard (holding the same ${fmt(sample.length)} users)`,
      timeChecks(list, sbSampleCheck, BATCH, 2_000, 5),
    ]);
    gc();
    rows.push([kind, 'CASL', timeChecks(list, caslCheck, BATCH, 4_000)]);
    gc();
    rows.push([kind, 'casbin', timeChecks(list, casbinCheck, 100, 5_000)]);
  }
  const speed = (kind: string, who: string) => rows.find(([k, w]) => k === kind && w === who)![2].perSecond;
  const ratio = (kind: string, who: string) => `${fmt(speed(kind, 'Switchboard') / speed(kind, who), 0)}x`;
  const sameHeld = `Switchboard (holding the same ${fmt(sample.length)} users)`;
  const ratioSame = (kind: string, who: string) => `${fmt(speed(kind, sameHeld) / speed(kind, who), 0)}x`;
  const perUser = (bytes: number, n: number) => `${fmt(bytes / n)} B`;

  return [
    '## Checks: Switchboard compiled snapshot vs casbin vs CASL',
    '',
    `Tenant: ${fmt(userCount)} users (80% agents on 1-5 queues, 10% supervisors on 2-20 queues, 3% admins with named permissions, ` +
      `a few contact admins and superusers, 3% profile or custom-profile users, 2% manual portal users, 2% suspended), ` +
      `${fmt(queueIds.length)} queues (40% without wrap-up), 10 profiles, plan \`record\`. ` +
      `casbin and CASL hold the effective policy of a sample of ${fmt(sample.length)} users (every ${step}th user), computed by Switchboard; ` +
      `all three answer the same check list over that sample (50% unscoped catalog capabilities, 50% queue capabilities, ` +
      `70% of them on one of the user's queues). Answers compared (Switchboard = CASL on 20,000 checks, = casbin on ${fmt(AGREEMENT_CASBIN)}): ` +
      `${disagreements} disagreements. Heap + ArrayBuffers in use while timing: ${fmt(heapDuringChecks / 2 ** 20)} MiB. ` +
      `The two speed-up columns: Switchboard holding the whole tenant (ten times the users the others hold, so more cache misses) ` +
      `and Switchboard holding the same sample as they do (like for like).`,
    '',
    '| checks | library | checks measured | checks/s | p50 per check | p99 per check | speed-up of Switchboard holding 100k | speed-up holding the same users |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ([kind, who, t]) =>
        `| ${kind} | ${who} | ${fmt(t.checks)} | ${fmt(t.perSecond)} | ${ns(t.p50ns)} | ${ns(t.p99ns)} | ` +
        `${who.startsWith('Switchboard') ? '' : ratio(kind, who)} | ${who.startsWith('Switchboard') ? '' : ratioSame(kind, who)} |`,
    ),
    '',
    '| library | users held | build time | memory (heap + ArrayBuffers delta) | per user |',
    '|---|---:|---:|---:|---:|',
    `| Switchboard CompiledTenant | ${fmt(userCount)} | ${fmt(sb.ms)} ms | ${fmt(sb.bytes / 2 ** 20, 1)} MiB | ${perUser(sb.bytes, userCount)} |`,
    `| casbin | ${fmt(sample.length)} | ${fmt(cb.ms)} ms | ${fmt(cb.bytes / 2 ** 20, 1)} MiB | ${perUser(cb.bytes, sample.length)} |`,
    `| CASL | ${fmt(sample.length)} | ${fmt(cl.ms)} ms | ${fmt(cl.bytes / 2 ** 20, 1)} MiB | ${perUser(cl.bytes, sample.length)} |`,
    '',
    `**setTenant** (role-permission change, ${fmt(userCount)} users recompiled): median ${fmt(recompiles[5]!, 1)} ms, ` +
      `min ${fmt(recompiles[0]!, 1)} ms, max ${fmt(recompiles[9]!, 1)} ms over 10 runs (goal < 200 ms).`,
    '',
    'How each library is used:',
    '- **Switchboard**: `CompiledTenant.check(userId, capability, resource)`: a Map lookup for the user slot, then a bit test in a shared ' +
      "`Uint32Array` (unscoped) or a few flag tests against the user's roles on that queue (queue-scoped).",
    '- **casbin** (node-casbin, `enforceSync`): RBAC with domains, one role per capability (76 policy lines; casbin evaluates its ' +
      'matcher once per policy line, so this is its smallest policy), each user linked to the roles of its effective capabilities ' +
      'in domain `tenant`, or `queue:<id>` for queue capabilities; matcher `r.act == p.act && g(r.sub, p.sub, r.obj)`. ' +
      'No CachedEnforcer (random checks over many users would mostly miss). Policies loaded through an in-memory adapter.',
    '- **CASL** (`createMongoAbility`): one ability per user from its rules (`can(action, module)`; queue capabilities as one rule per ' +
      "action on subject `Queue` with `{ id: { $in: [...] } }`); checks pass a prebuilt `subject('Queue', {id})` object.",
    '',
    `Latency: checks run in batches (${BATCH} for Switchboard and CASL, 100 for casbin) timed with \`process.hrtime.bigint()\`; ` +
      'per-check p50/p99 are batch time / batch size over all batches, so they are percentiles of batch averages, not of single calls. ' +
      'Each library ran until its time budget (Switchboard 2 s, CASL 4 s, casbin 5 s) or the end of the list. ' +
      'Memory: `heapUsed + arrayBuffers` after `global.gc()`, before and after the build, divided by users held ' +
      '(for Switchboard the user id strings are shared with the input records and not counted: about 30 B per user more).',
  ].join('\n');
}
