import { beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiToken, LoginResult, Queue, UserPage } from '../../src/contract/index.js';
import { apiSuite, uniqueEmail, type Page } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';

/** An AuthZEN decision as answered (AuthZEN 1.0, 5.5): the reasons travel in `context`. */
interface Decision {
  decision: boolean;
  context?: {
    grantedBy?: string[];
    blockedBy?: Array<{ rule: string; code: string; detail: string }>;
    error?: { status: number; message: string };
  };
}

describeEachDatabase('AuthZEN Authorization API 1.0', (kind) => {
  const a = apiSuite(kind);

  /**
   * A tenant with a Sales and a Help queue, an agent in Sales (u1), an app user (u2), and an administrator
   * who creates API tokens: one that may view users, one with no scopes.
   */
  async function setup() {
    const { id: t } = await a.tenant({ policies: { agentAddOn: 'auto' } });
    const snapUser = (n: number, acdQueues: string[]) => ({
      externalId: `ext-${n}`,
      displayName: `Agent ${n}`,
      email: uniqueEmail(`agent${n}`),
      extension: `${200 + n}`,
      devices: [],
      acdQueues,
    });
    await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      users: [snapUser(1, ['q-sales']), snapUser(2, [])],
      queues: [
        { externalId: 'q-sales', name: 'Sales', kind: 'queue', wrapUpSeconds: 30 },
        { externalId: 'q-help', name: 'Help', kind: 'queue', wrapUpSeconds: 0 },
      ],
    });
    const qs = (await a.asProvider<Page<Queue>>('GET', `/v1/tenants/${t}/queues`)).body.items;
    const users = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items;
    const email = uniqueEmail('admin');
    const admin = await a.user(t, {
      email,
      password: PASSWORD,
      permissions: ['website_access', 'manage_users', 'rest_api_admin'],
    });
    const login = await a.call<LoginResult>('POST', '/v1/auth/login', {
      body: { email, password: PASSWORD, audience: 'portal' },
    });
    const token = async (scopes: string[]) =>
      (
        await a.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
          token: login.body.token,
          body: { name: `PEP ${scopes.join(' ')}`, scopes },
        })
      ).body.token;
    return {
      t,
      admin,
      sales: qs.find((q) => q.name === 'Sales')!.id,
      help: qs.find((q) => q.name === 'Help')!.id,
      u1: users.find((u) => u.externalId === 'ext-1')!.id,
      u2: users.find((u) => u.externalId === 'ext-2')!.id,
      pep: await token(['users:view']),
      unscoped: await token(['portal:use']),
      session: login.body.token,
    };
  }
  let s: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    s = await setup();
  });

  const evaluation = (token: string, body: unknown, headers?: Record<string, string>) =>
    a.call<Decision>('POST', '/access/v1/evaluation', { token, body, headers });
  const evaluations = (token: string, body: unknown) =>
    a.call<{ evaluations?: Decision[]; decision?: boolean }>('POST', '/access/v1/evaluations', { token, body });

  describe('POST /access/v1/evaluation', () => {
    it('answers a permit with the reasons in context, and echoes X-Request-ID', async () => {
      const r = await evaluation(
        s.pep,
        {
          subject: { type: 'user', id: s.u1 },
          action: { name: 'queue:join' },
          resource: { type: 'queue', id: s.sales },
        },
        { 'x-request-id': 'bfe9eb29-ab87-4ca3-be83-a1d5d8305716' },
      );
      expect(r.status).toBe(200);
      expect(r.headers['x-request-id']).toBe('bfe9eb29-ab87-4ca3-be83-a1d5d8305716');
      expect(r.body.decision).toBe(true);
      expect(r.body.context?.grantedBy?.length).toBeGreaterThan(0);
      expect(r.body.context?.blockedBy).toEqual([]);
    });

    it('a deny is 200 {decision: false} with blockedBy; the answer is what POST /check says', async () => {
      const body = { subject: { type: 'user', id: s.u1 }, action: { name: 'queue:join' } };
      const r = await evaluation(s.pep, { ...body, resource: { type: 'queue', id: s.help } });
      expect(r.status).toBe(200);
      expect(r.body.decision).toBe(false);
      const check = await a.asProvider<{ results: Array<{ allowed: boolean; blockedBy: unknown[] }> }>(
        'POST',
        `/v1/tenants/${s.t}/check`,
        { checks: [{ userId: s.u1, capability: 'queue:join', resource: `queue:${s.help}` }] },
      );
      expect(check.body).toMatchObject({ results: [{ allowed: false }] });
      expect(r.body.context?.blockedBy).toEqual(check.body.results[0]!.blockedBy);
    });

    it('a tenant-wide capability is asked on the tenant resource', async () => {
      const on = (id: string, user = s.admin.id) =>
        evaluation(s.pep, {
          subject: { type: 'user', id: user },
          action: { name: 'users:edit' },
          resource: { type: 'tenant', id },
        });
      expect((await on(s.t)).body.decision).toBe(true);
      expect((await on(s.t, s.u2)).body.decision).toBe(false);
      // E4: another tenant is an unknown one: a deny, never an answer about it.
      const other = await on('ten_elsewhere');
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({ decision: false, context: { error: { status: 404 } } });
    });

    it('E4: a subject of another tenant is denied like an unknown one, not an error', async () => {
      const { id: t2 } = await a.tenant();
      const stranger = await a.user(t2, { permissions: [] });
      const r = await evaluation(s.pep, {
        subject: { type: 'user', id: stranger.id },
        action: { name: 'portal:use' },
        resource: { type: 'tenant', id: s.t },
      });
      expect(r.status).toBe(200);
      expect(r.body.decision).toBe(false);
      expect(r.body.context?.blockedBy).toEqual([expect.objectContaining({ rule: 'E4', code: 'not_found' })]);
    });

    it('unknown subject and resource types and unknown actions are denies that say why', async () => {
      const base = { subject: { type: 'user', id: s.u1 }, action: { name: 'queue:join' } };
      const group = await evaluation(s.pep, {
        ...base,
        subject: { type: 'group', id: 'g1' },
        resource: { type: 'tenant', id: s.t },
      });
      expect(group.body).toMatchObject({ decision: false, context: { error: { status: 400 } } });
      const doc = await evaluation(s.pep, { ...base, resource: { type: 'document', id: '1' } });
      expect(doc.body).toMatchObject({ decision: false, context: { error: { status: 400 } } });
      const unknown = await evaluation(s.pep, {
        ...base,
        action: { name: 'fly' },
        resource: { type: 'tenant', id: s.t },
      });
      expect(unknown.body.decision).toBe(false);
      expect(unknown.body.context?.blockedBy?.[0]).toMatchObject({ rule: 'X2', code: 'unknown_capability' });
    });

    it('a malformed request is 400 with an error message string; no credentials is 401', async () => {
      const bad = await evaluation(s.pep, { subject: { type: 'user' }, action: { name: 'x' } });
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^text\/plain/);
      expect(typeof bad.body).toBe('string');
      const anonymous = await a.call('POST', '/access/v1/evaluation', {
        body: { subject: { type: 'user', id: s.u1 }, action: { name: 'x' }, resource: { type: 'tenant', id: s.t } },
      });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer');
      const wrong = await evaluation('sbt_not-a-token', {});
      expect(wrong.status).toBe(401);
    });

    it("I5: only API tokens ask, within their scopes (users:view, even about the token's own user)", async () => {
      const body = {
        subject: { type: 'user', id: s.u1 },
        action: { name: 'portal:use' },
        resource: { type: 'tenant', id: s.t },
      };
      expect((await evaluation(s.unscoped, body)).status).toBe(403);
      // I5: a token does exactly its scopes, about its own user too (self-service is a session's privilege).
      const self = await evaluation(s.unscoped, { ...body, subject: { type: 'user', id: s.admin.id } });
      expect(self.status).toBe(403);
      expect((await evaluation(s.pep, { ...body, subject: { type: 'user', id: s.admin.id } })).body.decision).toBe(
        true,
      );
      // A portal session and the provider token are no PEP credentials.
      expect((await evaluation(s.session, body)).status).toBe(403);
      expect((await a.asProvider('POST', '/access/v1/evaluation', body)).status).toBe(403);
    });
  });

  describe('POST /access/v1/evaluations', () => {
    /** Sales (permit), Help (deny), Sales (permit) for u1, with the subject and action as defaults. */
    const batch = (semantic?: string) => ({
      subject: { type: 'user', id: s.u1 },
      action: { name: 'queue:join' },
      ...(semantic && { options: { evaluations_semantic: semantic } }),
      evaluations: [
        { resource: { type: 'queue', id: s.sales } },
        { resource: { type: 'queue', id: s.help } },
        { resource: { type: 'queue', id: s.sales } },
      ],
    });

    it('execute_all (the default) answers every evaluation in order', async () => {
      for (const semantic of [undefined, 'execute_all']) {
        const r = await evaluations(s.pep, batch(semantic));
        expect(r.status).toBe(200);
        expect(r.body.evaluations!.map((d) => d.decision)).toEqual([true, false, true]);
      }
    });

    it('deny_on_first_deny stops after the first deny', async () => {
      const r = await evaluations(s.pep, batch('deny_on_first_deny'));
      expect(r.body.evaluations!.map((d) => d.decision)).toEqual([true, false]);
    });

    it('permit_on_first_permit stops after the first permit', async () => {
      const r = await evaluations(s.pep, batch('permit_on_first_permit'));
      expect(r.body.evaluations!.map((d) => d.decision)).toEqual([true]);
      const allDenied = await evaluations(s.pep, {
        ...batch('permit_on_first_permit'),
        evaluations: [{ resource: { type: 'queue', id: s.help } }, { resource: { type: 'document', id: '1' } }],
      });
      expect(allDenied.body.evaluations!.map((d) => d.decision)).toEqual([false, false]);
    });

    it('X2: a batch answers each evaluation as POST …/check answers the same check, reasons included', async () => {
      const cases = [
        { subject: s.u1, action: 'queue:join', resource: { type: 'queue', id: s.sales } },
        { subject: s.u1, action: 'queue:join', resource: { type: 'queue', id: s.help } },
        { subject: s.u2, action: 'queue:join', resource: { type: 'queue', id: s.sales } },
        { subject: s.u1, action: 'queue:join', resource: { type: 'queue', id: 'no-such-queue' } },
        { subject: s.u2, action: 'portal:use', resource: { type: 'tenant', id: s.t } },
        { subject: s.admin.id, action: 'users:edit', resource: { type: 'tenant', id: s.t } },
        { subject: 'usr_unknown', action: 'portal:use', resource: { type: 'tenant', id: s.t } },
        { subject: s.u1, action: 'no:such', resource: { type: 'tenant', id: s.t } },
      ];
      const r = await evaluations(s.pep, {
        evaluations: cases.map((c) => ({
          subject: { type: 'user', id: c.subject },
          action: { name: c.action },
          resource: c.resource,
        })),
      });
      const check = await a.asProvider<{
        results: Array<{ allowed: boolean; grantedBy: string[]; blockedBy: unknown[] }>;
      }>('POST', `/v1/tenants/${s.t}/check`, {
        checks: cases.map((c) => ({
          userId: c.subject,
          capability: c.action,
          ...(c.resource.type === 'queue' && { resource: `queue:${c.resource.id}` }),
        })),
      });
      expect(r.body.evaluations).toEqual(
        check.body.results.map((x) => ({
          decision: x.allowed,
          context: { grantedBy: x.grantedBy, blockedBy: x.blockedBy },
        })),
      );
      expect(r.body.evaluations!.map((d) => d.decision)).toContain(true);
      // Asked twice, the remembered explanations answer the same text.
      const again = await evaluations(s.pep, {
        evaluations: cases.map((c) => ({
          subject: { type: 'user', id: c.subject },
          action: { name: c.action },
          resource: c.resource,
        })),
      });
      expect(again.body).toEqual(r.body);
    });

    it('an evaluation overrides the defaults; one that lacks a key with no default is a 400', async () => {
      const r = await evaluations(s.pep, {
        ...batch(),
        evaluations: [
          { resource: { type: 'queue', id: s.sales } },
          { subject: { type: 'user', id: s.u2 }, resource: { type: 'queue', id: s.sales } },
          {
            action: { name: 'portal:use' },
            subject: { type: 'user', id: s.admin.id },
            resource: { type: 'tenant', id: s.t },
          },
        ],
      });
      expect(r.body.evaluations!.map((d) => d.decision)).toEqual([true, false, true]);
      const missing = await evaluations(s.pep, { evaluations: [{ resource: { type: 'queue', id: s.sales } }] });
      expect(missing.status).toBe(400);
      const badSemantic = await evaluations(s.pep, batch('first_come'));
      expect(badSemantic.status).toBe(400);
    });

    it('without an evaluations array it is a single evaluation', async () => {
      const r = await evaluations(s.pep, { ...batch(), evaluations: [], resource: { type: 'queue', id: s.sales } });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ decision: true });
      expect(r.body.evaluations).toBeUndefined();
    });
  });

  it('GET /.well-known/authzen-configuration publishes the PDP metadata', async () => {
    const r = await a.call<Record<string, string>>('GET', '/.well-known/authzen-configuration');
    expect(r.status).toBe(200);
    const pdp = r.body.policy_decision_point!;
    expect(r.body).toEqual({
      policy_decision_point: pdp,
      access_evaluation_endpoint: `${pdp}/access/v1/evaluation`,
      access_evaluations_endpoint: `${pdp}/access/v1/evaluations`,
    });
  });
});
