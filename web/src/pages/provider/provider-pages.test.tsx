/**
 * The provider's screens against a stubbed SDK: plans (built-in ones translated and read-only, the
 * provider's own created and edited, SPEC 7), a tenant's status (suspend, resume, delete only once
 * suspended and confirmed by name) and its platform tokens (revoked after a confirmation, I6).
 * The browser flow (test/e2e/provider.test.ts) runs them against a real server.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import type { ReactNode } from 'react';
import type { Plan, PlatformToken, Tenant } from '../../../../client/index.js';
import { I18nProvider, type Language } from '../../i18n/index.js';

const calls: Array<[string, ...unknown[]]> = [];
const record =
  (name: string, answer: (...args: unknown[]) => unknown) =>
  (...args: unknown[]) => {
    calls.push([name, ...args]);
    return Promise.resolve(answer(...args));
  };

const plan = (over: Partial<Plan>): Plan => ({
  key: 'basic',
  name: 'Basic',
  features: ['calls', 'sms', 'crm_overlay'],
  builtin: true,
  tenants: 0,
  version: 1,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
  ...over,
});
const PLAN_LIST = [
  plan({}),
  plan({ key: 'sms-only', name: 'SMS only', features: ['sms'], builtin: false, tenants: 3 }),
];

const tenant = (over: Partial<Tenant> = {}): Tenant => ({
  id: 't1',
  name: 'Acme',
  plan: 'basic',
  planFeatures: ['calls', 'sms', 'crm_overlay'],
  status: 'active',
  suspendedAt: null,
  homeRegion: 'PL',
  version: 7,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
  ...over,
});
const TOKEN: PlatformToken = {
  id: 'ptk_1',
  name: 'PBX Warsaw',
  createdAt: '2026-11-29T10:00:00.000Z',
  lastUsedAt: null,
  lastUsedAddr: null,
};

const ISSUER = {
  id: 'oidc_1',
  name: 'Company login',
  issuer: 'https://login.example.com',
  clientId: 'switchboard',
  hasClientSecret: true,
  redirectPath: '/v1/auth/oidc/callback',
  startPath: '/v1/auth/oidc/oidc_1/start',
  createdAt: '2026-11-29T10:00:00.000Z',
};

const client = {
  plans: {
    list: record('plans.list', () => ({ items: PLAN_LIST })),
    create: record('plans.create', (body) => plan({ ...(body as Partial<Plan>), builtin: false })),
    update: record('plans.update', (key, body) => plan({ key: key as string, ...(body as Partial<Plan>) })),
  },
  tenants: {
    suspend: record('tenants.suspend', () => tenant({ status: 'suspended' })),
    resume: record('tenants.resume', () => tenant()),
    remove: record('tenants.remove', () => ({ id: 't1', deleted: {} })),
    platformTokens: record('tenants.platformTokens', () => ({ items: [TOKEN] })),
    createPlatformToken: record('tenants.createPlatformToken', () => ({ id: 'ptk_2', token: 'sbk_secret' })),
    revokePlatformToken: record('tenants.revokePlatformToken', () => undefined),
    oidcIssuers: record('tenants.oidcIssuers', () => ({ items: [ISSUER] })),
    createOidcIssuer: record('tenants.createOidcIssuer', (_t, body) => ({
      ...ISSUER,
      id: 'oidc_2',
      ...(body as object),
    })),
    updateOidcIssuer: record('tenants.updateOidcIssuer', (_t, _id, body) => ({ ...ISSUER, ...(body as object) })),
    removeOidcIssuer: record('tenants.removeOidcIssuer', () => undefined),
  },
};
vi.mock('../../session.js', () => ({ useSession: () => ({ client }) }));

const { PlansPage } = await import('./plans-page.js');
const { TenantLifecycle } = await import('./tenant-lifecycle.js');
const { PlatformTokensCard } = await import('./platform-tokens-card.js');
const { OidcIssuersCard } = await import('./oidc-issuers-card.js');

function show(node: ReactNode, lang: Language = 'en') {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nProvider lang={lang}>
          <MemoryRouter>{node}</MemoryRouter>
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

beforeEach(() => {
  calls.length = 0;
});
afterEach(cleanup);

describe('provider: plans (SPEC 7)', () => {
  it('built-in plan names are translated and read-only; the provider’s own plan is named as defined and editable', async () => {
    show(<PlansPage />, 'pl');
    const basic = await screen.findByTestId('plan-basic');
    expect(within(basic).getByText('Podstawowy')).toBeTruthy();
    expect(within(basic).getByText('Wbudowany')).toBeTruthy();
    expect(within(basic).queryByRole('button')).toBeNull();
    const own = screen.getByTestId('plan-sms-only');
    expect(within(own).getByText('SMS only')).toBeTruthy();
    expect(within(own).getByRole('button', { name: 'Edytuj' })).toBeTruthy();
  });

  it('SPEC 7: a new plan is sent with its key, name and features (an SMS-only plan)', async () => {
    show(<PlansPage />);
    await screen.findByTestId('plan-basic');
    fireEvent.click(screen.getByRole('button', { name: 'New plan' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/^Key/), { target: { value: 'texts' } });
    fireEvent.change(within(dialog).getByLabelText(/^Name/), { target: { value: 'Texts' } });
    fireEvent.click(within(dialog).getByLabelText('Calls'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() =>
      expect(calls).toContainEqual(['plans.create', { key: 'texts', name: 'Texts', features: ['sms'] }]),
    );
  });

  it('D2: editing a plan says it applies at once to its tenants, and sends the version it edited', async () => {
    show(<PlansPage />);
    fireEvent.click(within(await screen.findByTestId('plan-sms-only')).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/every tenant on this plan \(3\)/)).toBeTruthy();
    fireEvent.click(within(dialog).getByLabelText('Recording'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(calls).toContainEqual([
        'plans.update',
        'sms-only',
        { name: 'SMS only', features: ['sms', 'recording'] },
        1,
      ]),
    );
  });
});

describe('provider: a tenant’s status', () => {
  it('suspension is confirmed with what follows (signed out, tokens refused, nothing deleted); delete waits for it', async () => {
    show(<TenantLifecycle tenant={tenant()} />);
    const del = screen.getByRole('button', { name: 'Delete tenant' });
    expect((del as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Suspend tenant' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/signed out at once.*tokens.*Nothing is deleted/)).toBeTruthy();
    expect(calls).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Suspend tenant' }));
    await waitFor(() => expect(calls).toContainEqual(['tenants.suspend', 't1']));
  });

  it('a suspended tenant is deleted only after its name is typed', async () => {
    show(<TenantLifecycle tenant={tenant({ status: 'suspended', suspendedAt: '2026-11-29T11:00:00.000Z' })} />);
    expect(screen.getByText('Suspended')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Resume tenant' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete tenant' }));
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Delete tenant' });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText(/Type the tenant/), { target: { value: 'Acme' } });
    expect((confirm as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(calls).toContainEqual(['tenants.remove', 't1']));
  });
});

describe('provider: platform tokens (I6)', () => {
  it('tokens are listed with their last use and revoked after a confirmation', async () => {
    show(<PlatformTokensCard tenantId="t1" />);
    expect(await screen.findByText('PBX Warsaw')).toBeTruthy();
    expect(screen.getByText('Never')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/Revoke PBX Warsaw\?/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(calls).toContainEqual(['tenants.revokePlatformToken', 't1', 'ptk_1']));
  });
});

describe('provider: OIDC identity providers (I2)', () => {
  it('an issuer is added, edited without resending its secret, and removed after a confirmation', async () => {
    show(<OidcIssuersCard tenantId="t1" />);
    expect(await screen.findByText('Company login')).toBeTruthy();
    expect(screen.getByText(/\/v1\/auth\/oidc\/callback/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Add identity provider' }));
    let dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/^Name/), { target: { value: 'Okta' } });
    fireEvent.change(within(dialog).getByLabelText(/^Issuer URL/), { target: { value: 'https://okta.example.com' } });
    fireEvent.change(within(dialog).getByLabelText(/^Client ID/), { target: { value: 'sb' } });
    fireEvent.change(within(dialog).getByLabelText(/^Client secret/), { target: { value: 's3cret' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() =>
      expect(calls).toContainEqual([
        'tenants.createOidcIssuer',
        't1',
        { name: 'Okta', issuer: 'https://okta.example.com', clientId: 'sb', clientSecret: 's3cret' },
      ]),
    );

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Leave empty to keep the current secret.')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText(/^Name/), { target: { value: 'Staff login' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(calls).toContainEqual([
        'tenants.updateOidcIssuer',
        't1',
        'oidc_1',
        { name: 'Staff login', issuer: 'https://login.example.com', clientId: 'switchboard' },
      ]),
    );

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/Remove Company login\?/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(calls).toContainEqual(['tenants.removeOidcIssuer', 't1', 'oidc_1']));
  });
});
