import type { Server } from '../../src/app.js';
import { sql } from 'kysely';
import type { LoginResult, UserCreate } from '../../src/contract/index.js';
import { hashPassword } from '../../src/infra/crypto.js';
import { api, uniqueEmail, type Call, type HttpMethod, type ProblemBody } from '../support/api.js';
import { insertPlatformUsers } from '../support/fixtures.js';

/** Helpers of the identity suites, on the shared API test client (test/support/api.ts). */
export type Res<T = ProblemBody> = Call<T>;
export { uniqueEmail };

export const PASSWORD = 'correct horse battery staple';

export function client(server: Server) {
  const a = api(server);
  return {
    call: a.call,
    provider: <T = ProblemBody>(method: HttpMethod, url: string, body?: unknown) => a.asProvider<T>(method, url, body),
    /** A login; the answer is a LoginResult unless the test says it expects a refusal (`login<ProblemBody>`). */
    login: <T = LoginResult>(email: string, audience: 'app' | 'portal' = 'app', password = PASSWORD) =>
      a.call<T>('POST', '/v1/auth/login', { body: { email, password, audience } }),
    /** Moves a session's last activity into the past, as if its app had gone quiet: time moves without sleeping. */
    ageSession: (sessionId: string, seconds: number) =>
      sql`update sessions set last_seen_at = now() - ${seconds} * interval '1 second' where id = ${sessionId}`.execute(
        server.deps.db,
      ),
    /** Why a session ended (null while it is open). */
    endedReason: async (sessionId: string) =>
      (
        await server.deps.db
          .selectFrom('sessions')
          .select('ended_reason')
          .where('id', '=', sessionId)
          .executeTakeFirstOrThrow()
      ).ended_reason,
    tenant: a.tenant,
    /** A manual user (portal-only, G4) created through the users API as the provider. */
    async portalUser(tenantId: string, extra: Partial<UserCreate> = {}): Promise<{ id: string; email: string }> {
      const email = uniqueEmail('portal');
      const u = await a.user(tenantId, {
        displayName: `Portal ${email}`,
        email,
        password: PASSWORD,
        permissions: ['website_access'],
        ...extra,
      });
      return { id: u.id, email };
    },
    /** Platform users without website access (app users), with a password set directly (platform sync sends none). */
    async appUsers(
      tenantId: string,
      n: number,
      opts: { email?: (i: number) => string } = {},
    ): Promise<Array<{ id: string; email: string }>> {
      return createPlatformUsers(server, tenantId, n, opts);
    },
  };
}

let sharedHash: Promise<string> | null = null;

/** Inserts platform users straight into the database: a fixture shortcut, since sync carries no passwords. */
export async function createPlatformUsers(
  server: Server,
  tenantId: string,
  n: number,
  opts: { email?: (i: number) => string } = {},
): Promise<Array<{ id: string; email: string }>> {
  const hash = await (sharedHash ??= hashPassword(PASSWORD));
  const emails = Array.from({ length: n }, (_, i) => (opts.email ? opts.email(i) : uniqueEmail(`app${i}`)));
  const ids = await insertPlatformUsers(
    server.deps.db,
    tenantId,
    emails.map((email, i) => ({ email, password_hash: hash, display_name: `App user ${i}` })),
  );
  return ids.map((id, i) => ({ id, email: emails[i]! }));
}
