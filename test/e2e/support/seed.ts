/** A tenant for the browser flows, built through the SDK: thousands of platform users, queues, admins. */
import { createClient, type PlatformSnapshot, type SwitchboardClient, type User } from '../../../client/index.js';
import { PROVIDER_TOKEN } from './server.js';

export const PASSWORD = 'correct-horse-battery-staple-42';

export interface Seed {
  provider: SwitchboardClient;
  tenantId: string;
  admin: User; // website access, manage users, billable items, settings; superuser profile
  clerk: User; // manage users but NOT billable items (C2)
  agent: User; // a platform user who signs in to the live app view
  needle: User; // the user to find among thousands
  plain: User; // a platform user without website access (G1 greying)
  queueIds: string[];
}

export async function seedTenant(url: string, userCount = 3000, providerToken = PROVIDER_TOKEN): Promise<Seed> {
  const provider = createClient({ baseUrl: url, token: providerToken });
  const tenant = await provider.tenants.create({
    name: 'Acme Contact Center',
    plan: 'record',
    homeRegion: 'PL',
    seats: 25,
    licencePools: { essential: userCount + 100, agent: 500, crm: 50, softphone: 50, supervisor_report: 20 },
  });
  const t = tenant.id;
  const queues: PlatformSnapshot['queues'] = [
    { externalId: 'q-sales', name: 'Sales', kind: 'queue', wrapUpSeconds: 30 },
    { externalId: 'q-support', name: 'Support', kind: 'queue', wrapUpSeconds: 0 },
    { externalId: 'q-mail', name: 'Email inbox', kind: 'inbox', wrapUpSeconds: 0 },
  ];
  const first = [
    'Ana',
    'Budi',
    'Clara',
    'Dawid',
    'Elena',
    'Fritz',
    'Gita',
    'Hanna',
    'Iker',
    'Jonas',
    'Kasia',
    'Luis',
    'Maja',
    'Nico',
    'Olga',
    'Pablo',
  ];
  const last = [
    'Kowalski',
    'Santoso',
    'Müller',
    'García',
    'Nowak',
    'Wijaya',
    'Schmidt',
    'López',
    'Wiśniewska',
    'Fischer',
  ];
  const users: PlatformSnapshot['users'] = Array.from({ length: userCount }, (_, i) => ({
    externalId: `pbx-${i}`,
    displayName: `${first[i % first.length]} ${last[(i * 7) % last.length]} ${i}`,
    email: `user${i}@acme.example`,
    extension: String(1000 + i),
    devices:
      i < 5
        ? [
            {
              externalId: `dev-${i}`,
              name: `Desk phone ${i}`,
              kind: i % 2 ? 'webrtc' : 'sip',
              sip: { username: `u${i}`, password: `p${i}`, realm: 'pbx.acme.example' },
            },
          ]
        : [],
    acdQueues: i % 10 === 0 ? ['q-sales'] : [],
  }));
  users.push({
    externalId: 'pbx-needle',
    displayName: 'Zofia Needleman',
    email: 'zofia.needleman@acme.example',
    extension: '7777',
    devices: [],
    acdQueues: [],
  });
  await provider.platform.snapshot(t, { users, queues });

  const find = async (q: string) => {
    const page = await provider.users.list(t, { q, limit: 5 });
    const u = page.items[0];
    if (!u) throw new Error(`seed: user ${q} not found`);
    return u;
  };
  const admin = await provider.users.create(t, {
    displayName: 'Ada Admin',
    email: 'ada@acme.example',
    password: PASSWORD,
    permissions: [
      'website_access',
      'manage_users',
      'manage_billable_items',
      'customer_settings',
      'workspace_admin',
      'rest_api_admin',
    ],
    supervisorLevel: 'none',
    contactCenter: { admin: true, queues: {} },
    profile: { kind: 'superuser' },
  });
  const clerk = await provider.users.create(t, {
    displayName: 'Carl Clerk',
    email: 'carl@acme.example',
    password: PASSWORD,
    permissions: ['website_access', 'manage_users'],
  });
  const needle = await find('Needleman');
  const agentBase = await find('user1@acme.example');
  const agent = await provider.users.update(t, agentBase.id, { password: PASSWORD }, agentBase.version);
  const plain = await find('user2@acme.example');
  for (const name of ['Sales team', 'Support team', 'Night shift'])
    await provider.groups.create(t, { name }).catch(() => undefined);
  for (const name of ['Main', 'Reports']) await provider.workspaces.create(t, { name }).catch(() => undefined);
  await provider.profiles
    .create(t, { name: 'Team lead', grants: ['users:view', 'reports:view', 'dashboards:view'] })
    .catch(() => undefined);
  const queueIds = (await provider.queues.list(t).catch(() => ({ items: [] as Array<{ id: string }> }))).items.map(
    (q) => q.id,
  );
  return { provider, tenantId: t, admin, clerk, agent, needle, plain, queueIds };
}
