import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/app.js';
import { loadConfig } from '../../src/infra/config.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The operator's CLI, run as an operator runs it: a real process on an embedded database. */
describe("operator's CLI", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<Run>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli.ts', ...args],
        { env: { ...process.env, SWITCHBOARD_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('--help lists the commands; an unknown command is a usage error (exit 2)', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const c of [
      'serve',
      'migrate',
      'tenants list',
      'tenants create',
      'provider-token rotate',
      'audit verify',
      'demo',
      'doctor',
    ])
      expect(help.stdout).toContain(c);
    const wrong = await run(['frobnicate']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('unknown command "frobnicate"');
  });

  it('creates and lists tenants, verifies an audit chain, rotates the provider token and checks the node', async () => {
    const bad = await run(['tenants', 'create', '--name', 'Acme', '--region', 'XX']);
    expect(bad.code).toBe(2);
    const created = await run([
      'tenants',
      'create',
      '--name',
      'Acme Calls',
      '--plan',
      'record',
      '--region',
      'PL',
      '--seats',
      '50',
    ]);
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^tnt_/);
    const list = await run(['tenants', 'list']);
    expect(list.stdout).toContain(`${id}\tAcme Calls\trecord\tPL\tseats 50`);
    const audit = await run(['audit', 'verify', id]);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('Intact: 1 entries.');
    const rotated = await run(['provider-token', 'rotate']);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/New provider token .*: sbp_\S+/);
    const configured = await run(['provider-token', 'rotate'], { SWITCHBOARD_PROVIDER_TOKEN: 'x'.repeat(24) });
    expect(configured.code).toBe(1);
    expect(configured.stderr).toContain('SWITCHBOARD_PROVIDER_TOKEN');
    const doctor = await run(['doctor']);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/ok +database: embedded/);
    expect(doctor.stdout).toContain('migrations: up to date');
    expect(doctor.stdout).toMatch(/ok +outbox: \d+ pending/);
  }, 240_000);

  it('demo makes a tenant with an administrator who can sign in at the printed address or once by the printed link (I3), agents and queues', async () => {
    const demo = await run(['demo'], { PUBLIC_URL: 'http://demo.local:3000' });
    expect(demo.code).toBe(0);
    const id = /\((tnt_\w+)\)/.exec(demo.stdout)?.[1];
    const email = /email (\S+)/.exec(demo.stdout)?.[1];
    const password = /password (\S+)/.exec(demo.stdout)?.[1];
    expect(demo.stdout).toContain('queues Sales, Support');
    expect(demo.stdout).toContain(`http://demo.local:3000/sign-in?email=${encodeURIComponent(email!)}`);
    // The printed credentials open the portal as the tenant's administrator.
    const server = await buildServer(loadConfig({ SWITCHBOARD_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    try {
      const login = await server.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password, audience: 'portal' },
      });
      expect(login.statusCode).toBe(200);
      const token = login.json<{ token: string; tenantId: string }>();
      expect(token.tenantId).toBe(id);
      const users = await server.app.inject({
        method: 'GET',
        url: `/v1/tenants/${id}/users`,
        headers: { authorization: `Bearer ${token.token}` },
      });
      expect(users.statusCode).toBe(200);
      expect(users.json<{ items: unknown[] }>().items.length).toBe(7);
      // I3: the printed link signs the administrator in once (portal cookie), then is spent.
      const link = /(http:\/\/demo\.local:3000\/sign-in\/link\?token=\S+)/.exec(demo.stdout)?.[1];
      const linkToken = new URL(link!).searchParams.get('token');
      const byLink = await server.app.inject({
        method: 'POST',
        url: '/v1/auth/sign-in-link',
        payload: { token: linkToken },
      });
      expect(byLink.statusCode).toBe(200);
      expect(byLink.json<{ tenantId: string }>().tenantId).toBe(id);
      expect(String(byLink.headers['set-cookie'])).toContain('HttpOnly');
      const again = await server.app.inject({
        method: 'POST',
        url: '/v1/auth/sign-in-link',
        payload: { token: linkToken },
      });
      expect(again.statusCode).toBe(400);
      expect(again.json()).toMatchObject({ code: 'invalid_token', rule: 'I3' });
      // An invitation's token is not a sign-in link.
      const invite = await server.app.inject({
        method: 'POST',
        url: '/v1/auth/sign-in-link',
        payload: { token: 'sbi_' + 'x'.repeat(40) },
      });
      expect(invite.statusCode).toBe(400);
    } finally {
      await server.close();
    }
  }, 240_000);
});
