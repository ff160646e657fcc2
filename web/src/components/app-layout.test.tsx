import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { I18nProvider } from '../i18n/index.js';
import { actorFromCapabilities, actorMeets, type ActorPowers } from '../lib/actor.js';

const state: { actor: ActorPowers; loading: boolean } = { actor: actorFromCapabilities([]), loading: false };

vi.mock('../api/hooks.js', () => ({
  qk: { tenants: () => ['tenants'] },
  useActor: () => state,
  useTenant: () => ({ data: { name: 'Acme' } }),
}));
vi.mock('../session.js', () => ({
  useSession: () => ({
    client: {},
    session: { kind: 'user', tenantId: 't1', userId: 'u1' },
    setTenant: () => undefined,
    signOut: async () => undefined,
  }),
}));

const { AppLayout } = await import('./app-layout.js');

function show(path: string) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <I18nProvider lang="en">
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path="/" element={<AppLayout />}>
                <Route path="*" element={<p>screen content</p>} />
              </Route>
            </Routes>
          </MemoryRouter>
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const menu = () =>
  Array.from(screen.getByRole('navigation', { name: 'Main navigation' }).querySelectorAll('a'), (a) => a.textContent);

describe('menus follow what the signed-in user may do (C1, from their own configuration)', () => {
  beforeEach(() => {
    state.loading = false;
  });

  it('C1: a delegated Manage-Users admin sees user screens, not role permissions, usage or API tokens', () => {
    state.actor = actorFromCapabilities(['users:view', 'users:edit', 'users:create', 'groups:view']);
    show('/users');
    const items = menu();
    expect(items).toEqual(expect.arrayContaining(['Users', 'Groups', 'Sessions', 'Audit log', 'Live app view']));
    for (const hidden of ['Role permissions', 'Usage and seats', 'API tokens', 'Tenants'])
      expect(items).not.toContain(hidden);
    expect(screen.getByText('screen content')).toBeTruthy();
  });

  it('C7: opening role permissions without cc:admin says so instead of failing on the request', () => {
    state.actor = actorFromCapabilities(['users:view']);
    show('/role-permissions/supervisor');
    expect(screen.getByTestId('not-allowed')).toBeTruthy();
    expect(screen.queryByText('screen content')).toBeNull();
  });

  it('I5: an agent without admin capabilities sees only the live app view', () => {
    state.actor = actorFromCapabilities(['telephony:call']);
    show('/live');
    expect(menu()).toEqual(['Live app view']);
  });

  it('nothing gated is shown while the configuration loads', () => {
    state.actor = actorFromCapabilities([]);
    state.loading = true;
    show('/users');
    expect(menu()).toEqual([]);
    expect(screen.queryByTestId('not-allowed')).toBeNull();
  });
});

describe('actorMeets', () => {
  const a = actorFromCapabilities(['groups:view']);
  it('any one of a list is enough (as the server takes any of a list); a predicate decides itself', () => {
    expect(actorMeets(a, ['users:view', 'groups:view'])).toBe(true);
    expect(actorMeets(a, 'users:view')).toBe(false);
    expect(actorMeets(a, (x) => x.superuser)).toBe(false);
    expect(actorMeets(a, undefined)).toBe(true);
    expect(actorMeets(actorFromCapabilities([], { provider: true }), 'cc:admin')).toBe(true);
  });
});
