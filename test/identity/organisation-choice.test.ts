import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { LoginResult } from '../../src/contract/index.js';
import type { Page, ProblemBody } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { EVENTUALLY_MS } from '../support/waiting.js';
import { client, PASSWORD, uniqueEmail } from './support.js';

const OTHER_PASSWORD = 'another long passphrase of mine';
const NEW_PASSWORD = 'a brand new passphrase for me';
const tokenIn = (text: string) => /code: (sbr_[A-Za-z0-9_-]+)/.exec(text)?.[1];

describeEachDatabase('identity: one address in several organisations (G2)', (kind) => {
  let server: TestServer;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer(kind);
    c = client(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const login = <T = LoginResult>(email: string, password: string, tenantId?: string) =>
    c.call<T>('POST', '/v1/auth/login', {
      body: { email, password, audience: 'portal', ...(tenantId ? { tenantId } : {}) },
    });

  /** One person with website access in two organisations (same address, optionally another password in the second). */
  async function twoOrganisations(secondPassword = PASSWORD) {
    const email = uniqueEmail('consultant');
    const acme = await c.tenant({ name: 'Acme' });
    const globex = await c.tenant({ name: 'Globex' });
    const inAcme = await c.portalUser(acme.id, { email });
    const inGlobex = await c.portalUser(globex.id, { email: email.toUpperCase(), password: secondPassword });
    return { email, acme, globex, inAcme, inGlobex };
  }

  it('G2: when email and password match accounts in two organisations, the person chooses; the choice signs in there', async () => {
    const { email, acme, globex, inGlobex } = await twoOrganisations();
    const choose = await login<ProblemBody & { organisations: unknown }>(email, PASSWORD);
    expect(choose.status).toBe(409);
    expect(choose.body).toMatchObject({ code: 'organisation_choice_required', rule: 'G2', field: '/tenantId' });
    expect(choose.body.organisations).toEqual(
      expect.arrayContaining([
        { tenantId: acme.id, name: 'Acme' },
        { tenantId: globex.id, name: 'Globex' },
      ]),
    );
    expect(choose.body.organisations).toHaveLength(2);
    // No session was opened by the question.
    expect(choose.cookies.find((k) => k.name === 'sb_session')).toBeUndefined();

    const chosen = await login(email, PASSWORD, globex.id);
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({ tenantId: globex.id, userId: inGlobex.id });
  });

  it('G2: a suspended organisation is not offered; the other signs in without a question, and if all are suspended the refusal says so', async () => {
    const { email, acme, globex, inGlobex } = await twoOrganisations();
    expect((await c.provider('POST', `/v1/tenants/${acme.id}/suspend`, {})).status).toBe(200);
    const one = await login(email, PASSWORD);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ tenantId: globex.id, userId: inGlobex.id });
    expect((await c.provider('POST', `/v1/tenants/${globex.id}/suspend`, {})).status).toBe(200);
    const none = await login<ProblemBody>(email, PASSWORD);
    expect(none.status).toBe(403);
    expect(none.body).toMatchObject({ code: 'tenant_suspended' });
  });

  it('G2: when only one account takes the password, it signs in without a question and names no other organisation', async () => {
    const { email, globex, inGlobex } = await twoOrganisations(OTHER_PASSWORD);
    const r = await login(email, OTHER_PASSWORD);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tenantId: globex.id, userId: inGlobex.id });
    expect(JSON.stringify(r.body)).not.toContain('Acme');
  });

  it('G2: a wrong password, or an organisation the person has no account in, answers like an unknown address', async () => {
    const { email, acme } = await twoOrganisations();
    const stranger = await c.tenant({ name: 'Initech' });
    const wrong = await login<ProblemBody>(email, 'not the password of anyone here');
    const unknown = await login<ProblemBody>(uniqueEmail('nobody'), 'not the password of anyone here');
    const elsewhere = await login<ProblemBody>(email, PASSWORD, stranger.id);
    for (const r of [wrong, unknown, elsewhere]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual(unknown.body);
      expect(JSON.stringify(r.body)).not.toContain(acme.id);
    }
  });

  it('G2, I3: a reset request for a shared address sends one mail per organisation; each link resets that account only', async () => {
    const { email, acme, globex } = await twoOrganisations();
    const asked = await c.call('POST', '/v1/auth/password-reset', { body: { email } });
    expect(asked.status).toBe(202);
    const mails = await vi.waitFor(
      async () => {
        const got = await c.provider<Page<{ subject: string; text: string }>>(
          'GET',
          `/v1/dev/mailbox?to=${encodeURIComponent(email)}`,
        );
        expect(got.body.items.length).toBe(2);
        return got.body.items;
      },
      { timeout: EVENTUALLY_MS, interval: 20 },
    );
    const forAcme = mails.find((m) => m.subject.includes('Acme'));
    expect(forAcme?.text).toContain('in Acme');
    expect(mails.some((m) => m.subject.includes('Globex'))).toBe(true);

    const reset = await c.call('POST', '/v1/auth/password-reset/confirm', {
      body: { token: tokenIn(forAcme!.text), password: NEW_PASSWORD },
    });
    expect(reset.status).toBe(204);
    // The new password opens Acme only; the old one still opens Globex, and now only Globex.
    expect((await login(email, NEW_PASSWORD)).body).toMatchObject({ tenantId: acme.id });
    expect((await login(email, PASSWORD)).body).toMatchObject({ tenantId: globex.id });
  });
});
