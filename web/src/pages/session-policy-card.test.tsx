/**
 * The session policy in Settings (S3) against a stubbed SDK: shown with the tenant's values, saved
 * with the tenant's version by an administrator (settings:edit), read-only without it, and a value
 * outside the provider's bounds shown as the problem the server answers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError, type Tenant } from '../../../client/index.js';
import { I18nProvider } from '../i18n/index.js';
import { actorFromCapabilities, type ActorPowers } from '../lib/actor.js';

const state: { actor: ActorPowers; updates: Array<{ body: unknown; ifMatch?: number }>; refuse: boolean } = {
  actor: actorFromCapabilities([]),
  updates: [],
  refuse: false,
};

vi.mock('../api/hooks.js', () => ({
  qk: { tenant: (t: string) => ['tenant', t] },
  useActor: () => ({ actor: state.actor, loading: false }),
}));
vi.mock('../session.js', () => ({
  useSession: () => ({
    client: {
      tenants: {
        update: (_t: string, body: { sessionPolicy: object }, ifMatch?: number) => {
          state.updates.push({ body, ifMatch });
          if (state.refuse)
            return Promise.reject(
              new ApiError({
                status: 400,
                code: 'policy_out_of_bounds',
                rule: 'S3',
                field: '/sessionPolicy/appLapseSeconds',
                min: 30,
                max: 600,
                detail: 'appLapseSeconds must be between 30 and 600 s',
                title: 'Policy out of bounds',
                type: 'about:blank',
              }),
            );
          return Promise.resolve({
            ...tenant,
            sessionPolicy: { ...tenant.sessionPolicy, ...body.sessionPolicy },
            warnings: [],
          });
        },
      },
    },
  }),
}));

const { SessionPolicyCard } = await import('./session-policy-card.js');

const tenant = {
  id: 't1',
  name: 'Acme',
  version: 7,
  sessionPolicy: { appLapseSeconds: 90, portalIdleMinutes: 30 },
} as unknown as Tenant;

function renderCard() {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nProvider lang="en">
          <SessionPolicyCard tenant={tenant} />
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe('session policy card (S3)', () => {
  beforeEach(() => {
    state.updates = [];
    state.refuse = false;
  });
  afterEach(cleanup);

  it("S3: an administrator changes the app lapse; it is saved with the tenant's version", async () => {
    state.actor = actorFromCapabilities(['settings:view', 'settings:edit']);
    renderCard();
    const lapse = screen.getByLabelText<HTMLInputElement>('App session lapse (seconds)');
    expect(lapse.value).toBe('90');
    fireEvent.change(lapse, { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save session policy' }));
    await waitFor(() => expect(state.updates).toHaveLength(1));
    expect(state.updates[0]).toEqual({
      body: { sessionPolicy: { appLapseSeconds: 30, portalIdleMinutes: 30 } },
      ifMatch: 7,
    });
  });

  it('S3: a value outside the bounds shows the refusal with the limits', async () => {
    state.actor = actorFromCapabilities(['settings:view', 'settings:edit']);
    state.refuse = true;
    renderCard();
    fireEvent.change(screen.getByLabelText('App session lapse (seconds)'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save session policy' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-code')).toBe('policy_out_of_bounds');
    expect(alert.textContent).toContain('between 30 and 600');
  });

  it('S3: without settings:edit the policy is shown read-only', () => {
    state.actor = actorFromCapabilities(['settings:view']);
    renderCard();
    expect(screen.getByLabelText<HTMLInputElement>('Portal idle time (minutes)').disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save session policy' })).toBeNull();
  });
});
