import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoginResult, User } from '../../src/contract/index.js';
import type { Page } from '../support/api.js';
import { anyString } from '../support/matchers.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { EVENTUALLY_MS, Inbox } from '../support/waiting.js';
import { client, PASSWORD, uniqueEmail } from './support.js';

const NEW_PASSWORD = 'a brand new passphrase for me';
const tokenIn = (text: string) => /code: (sb[ri]_[A-Za-z0-9_-]+)/.exec(text)?.[1];

describeEachDatabase('identity: invitations and password resets (I3), dev mailbox', (kind) => {
  let server: TestServer;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer(kind);
    c = client(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const mailbox = async (to: string) =>
    (await c.provider<Page<{ subject: string; text: string }>>('GET', `/v1/dev/mailbox?to=${encodeURIComponent(to)}`))
      .body.items;
  /**
   * The dev mailbox of `to` once `count` messages are in it (newest first). Mail leaves after the
   * answer (after commit, in the background: I3), so the test waits for it to arrive.
   */
  const mailArrives = async (to: string, count = 1) => {
    const items = await vi.waitFor(
      async () => {
        const got = await mailbox(to);
        expect(got.length).toBeGreaterThanOrEqual(count);
        return got;
      },
      { timeout: EVENTUALLY_MS, interval: 20 },
    );
    expect(items).toHaveLength(count);
    return items;
  };
  const login = (email: string, password: string, audience: 'portal' | 'app' = 'portal') =>
    c.call<LoginResult>('POST', '/v1/auth/login', { body: { email, password, audience } });

  it('I3: a reset request answers 202 whether or not the address exists; only a real account gets mail', async () => {
    const { id: t } = await c.tenant();
    const u = await c.portalUser(t);
    const ghost = uniqueEmail('ghost');
    // The unknown address first: a mail to it, had one been sent, would have left before the known
    // address's one, so once that one has arrived the ghost's mailbox tells.
    const unknown = await c.call<{ status: string }>('POST', '/v1/auth/password-reset', { body: { email: ghost } });
    const known = await c.call<{ status: string }>('POST', '/v1/auth/password-reset', { body: { email: u.email } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    await mailArrives(u.email, 1);
    expect(await mailbox(ghost)).toEqual([]);
  });

  it('I3: the reset link sets a new password once, ends every session, and cannot be reused', async () => {
    const { id: t } = await c.tenant();
    const u = await c.portalUser(t);
    const before = await login(u.email, PASSWORD);
    await c.call('POST', '/v1/auth/password-reset', { body: { email: u.email } });
    const token = tokenIn((await mailArrives(u.email, 1))[0]!.text)!;
    expect(token).toMatch(/^sbr_/);
    const weak = await c.call('POST', '/v1/auth/password-reset/confirm', { body: { token, password: 'short' } });
    expect(weak.status).toBe(422);
    expect(weak.body.code).toBe('weak_password');
    expect(
      (await c.call('POST', '/v1/auth/password-reset/confirm', { body: { token, password: NEW_PASSWORD } })).status,
    ).toBe(204);
    expect((await c.call('GET', '/v1/me', { token: before.body.token })).status).toBe(401);
    expect((await login(u.email, PASSWORD)).status).toBe(401);
    expect((await login(u.email, NEW_PASSWORD)).status).toBe(200);
    const again = await c.call('POST', '/v1/auth/password-reset/confirm', {
      body: { token, password: 'yet another long passphrase' },
    });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'invalid_token', rule: 'I3' });
    const hash = await server.deps.db
      .selectFrom('one_time_tokens')
      .select('token_hash')
      .where('user_id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(hash.token_hash).not.toContain(token.slice(4));
  });

  it('I3: reset links expire, and a newer link replaces an older one', async () => {
    const { id: t } = await c.tenant();
    const u = await c.portalUser(t);
    await c.call('POST', '/v1/auth/password-reset', { body: { email: u.email } });
    await c.call('POST', '/v1/auth/password-reset', { body: { email: u.email } });
    const [newer, older] = (await mailArrives(u.email, 2)).map((m) => tokenIn(m.text)!);
    expect(
      (await c.call('POST', '/v1/auth/password-reset/confirm', { body: { token: older, password: NEW_PASSWORD } }))
        .status,
    ).toBe(400);
    await sql`update one_time_tokens set expires_at = now() - interval '1 second' where user_id = ${u.id}`.execute(
      server.deps.db,
    );
    expect(
      (await c.call('POST', '/v1/auth/password-reset/confirm', { body: { token: newer, password: NEW_PASSWORD } }))
        .status,
    ).toBe(400);
  });

  it('I3: a user created with website access and no password is invited at once; Resend replaces the link; the state shows it', async () => {
    const { id: t } = await c.tenant();
    const email = uniqueEmail('invitee');
    const created = await c.provider<User>('POST', `/v1/tenants/${t}/users`, {
      displayName: 'Invitee',
      email,
      permissions: ['website_access'],
    });
    expect(created.status).toBe(201);
    const state = async () =>
      (
        await c.provider<{ status: string; expiresAt: string | null }>(
          'GET',
          `/v1/tenants/${t}/users/${created.body.id}/invitation`,
        )
      ).body;
    expect(await state()).toMatchObject({ status: 'invited', expiresAt: anyString });
    const first = (await mailArrives(email, 1))[0]!;
    expect(first.subject).toMatch(/invited/);

    const inv = await c.provider<{ sentTo: string; expiresAt: string }>(
      'POST',
      `/v1/tenants/${t}/users/${created.body.id}/invitation`,
    );
    expect(inv.status).toBe(202);
    expect(inv.body).toMatchObject({ sentTo: email, expiresAt: anyString });
    const mail = (await mailArrives(email, 2))[0]!;
    const token = tokenIn(mail.text)!;
    // The first link was replaced by the resend.
    expect(
      (
        await c.call('POST', '/v1/auth/invitations/accept', {
          body: { token: tokenIn(first.text), password: NEW_PASSWORD },
        })
      ).status,
    ).toBe(400);
    expect(
      (await c.call('POST', '/v1/auth/password-reset/confirm', { body: { token, password: NEW_PASSWORD } })).status,
    ).toBe(400); // wrong purpose
    expect(
      (await c.call('POST', '/v1/auth/invitations/accept', { body: { token, password: NEW_PASSWORD } })).status,
    ).toBe(204);
    expect(await state()).toMatchObject({ status: 'accepted', acceptedAt: anyString });
    expect((await login(email, NEW_PASSWORD)).status).toBe(200);
    expect(
      (await c.call('POST', '/v1/auth/invitations/accept', { body: { token, password: NEW_PASSWORD } })).status,
    ).toBe(400);
  });

  it('I3: no invitation for a user created with a password, or without website access; an old link shows expired', async () => {
    const { id: t } = await c.tenant();
    const withPassword = await c.portalUser(t);
    const appOnly = await c.provider<User>('POST', `/v1/tenants/${t}/users`, {
      displayName: 'No portal',
      email: uniqueEmail('noportal'),
    });
    for (const id of [withPassword.id, appOnly.body.id]) {
      const s = await c.provider('GET', `/v1/tenants/${t}/users/${id}/invitation`);
      expect(s.body).toEqual({ status: 'none', sentAt: null, expiresAt: null, acceptedAt: null });
    }
    await c.provider('POST', `/v1/tenants/${t}/users/${appOnly.body.id}/invitation`);
    await sql`update one_time_tokens set expires_at = now() - interval '1 second' where user_id = ${appOnly.body.id}`.execute(
      server.deps.db,
    );
    expect((await c.provider('GET', `/v1/tenants/${t}/users/${appOnly.body.id}/invitation`)).body).toMatchObject({
      status: 'expired',
    });
    const other = await c.tenant();
    expect((await c.provider('GET', `/v1/tenants/${other.id}/users/${appOnly.body.id}/invitation`)).status).toBe(404);
  });

  it("the dev mailbox is the provider's alone", async () => {
    const { id: t } = await c.tenant();
    const u = await c.portalUser(t, { permissions: ['website_access', 'manage_users'] });
    const s = await login(u.email, PASSWORD);
    expect((await c.call('GET', '/v1/dev/mailbox', { token: s.body.token })).status).toBe(403);
  });
});

describe('identity: mail through a real SMTP server (smtp-server on loopback)', () => {
  let smtp: SMTPServer;
  let server: TestServer;
  const received = new Inbox<{ to: string[]; data: string }>();

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (d: Buffer) => {
          data += d.toString();
        });
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', () => ok()));
    const port = (smtp.server.address() as { port: number }).port;
    server = await startTestServer('pglite', {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      PUBLIC_URL: 'https://portal.example.test',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise<void>((ok) => smtp.close(() => ok()));
  });

  it('I3: a reset email goes out over SMTP with a working single-use link; no dev mailbox then', async () => {
    const c = client(server);
    const { id: t } = await c.tenant();
    const u = await c.portalUser(t);
    expect((await c.call('POST', '/v1/auth/password-reset', { body: { email: u.email } })).status).toBe(202);
    const arrived = await received.waitFor((ms) => ms.some((m) => m.to.includes(u.email)), 'the reset mail over SMTP');
    const mail = arrived.find((m) => m.to.includes(u.email))!;
    expect(mail).toBeDefined();
    const text = mail.data.replace(/=\r\n/g, '').replace(/=3D/g, '='); // quoted-printable
    expect(text).toContain('https://portal.example.test/reset-password?token=sbr_');
    const token = tokenIn(text)!;
    expect(
      (await c.call('POST', '/v1/auth/password-reset/confirm', { body: { token, password: NEW_PASSWORD } })).status,
    ).toBe(204);
    const signedIn = await c.call('POST', '/v1/auth/login', {
      body: { email: u.email, password: NEW_PASSWORD, audience: 'portal' },
    });
    expect(signedIn.status).toBe(200);
    // I7: PUBLIC_URL is https here (TLS ends at a proxy), so the cookie is Secure.
    expect(signedIn.cookies.find((k) => k.name === 'sb_session')?.secure).toBe(true);
    expect((await c.provider('GET', '/v1/dev/mailbox')).status).toBe(404);
  });
});
