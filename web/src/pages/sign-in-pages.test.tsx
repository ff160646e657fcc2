/**
 * The sign-in page's OIDC buttons (per organisation) and the pages emailed links open, against a
 * stubbed fetch. The browser flows (test/e2e) cover the reset round trip against a real server; the
 * buttons are tested here because an issuer needs a reachable discovery document.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { I18nProvider } from '../i18n/index.js';
import { SessionProvider } from '../session.js';
import { SignInPage, TENANT_STORAGE_KEY, safeNext } from './sign-in-page.js';
import { AcceptInvitationPage, ResetPasswordPage } from './reset-password-page.js';
import { SignInLinkPage } from './sign-in-link-page.js';

type Answer = { status: number; body?: unknown };
let calls: Array<{ url: string; method: string; body?: unknown }> = [];
let answer: (url: string, method: string) => Answer;

beforeEach(() => {
  calls = [];
  localStorage.clear();
  vi.stubGlobal(
    'fetch',
    vi.fn((input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      // The SDK sends JSON text bodies.
      const body = typeof init.body === 'string' && init.body ? (JSON.parse(init.body) as unknown) : undefined;
      calls.push({ url: input, method, body });
      const a = answer(input, method);
      // The answer's text is there at once (a Response's body is read through a stream, which takes
      // turns of the real event loop), so a test on the fake clock below sees it arrive in order.
      const text = a.body === undefined ? '' : JSON.stringify(a.body);
      return Promise.resolve({
        status: a.status,
        ok: a.status >= 200 && a.status < 300,
        statusText: '',
        headers: new Headers({ 'content-type': 'application/json' }),
        text: () => Promise.resolve(text),
      } as Response);
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

function renderAt(path: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <I18nProvider lang="en">
          <SessionProvider>
            <MemoryRouter initialEntries={[path]}>
              <Routes>
                <Route path="/sign-in" element={<SignInPage />} />
                <Route path="/reset-password" element={<ResetPasswordPage />} />
                <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
                <Route path="/sign-in/link" element={<SignInLinkPage />} />
                <Route path="/" element={<p>home</p>} />
              </Routes>
            </MemoryRouter>
          </SessionProvider>
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const issuersOf: Record<string, Array<{ id: string; name: string; startPath: string }>> = {
  acme: [
    { id: 'iss-1', name: 'Acme Entra ID', startPath: '/v1/auth/oidc/iss-1/start' },
    { id: 'iss-2', name: 'Acme Okta', startPath: '/v1/auth/oidc/iss-2/start' },
  ],
  globex: [{ id: 'iss-9', name: 'Globex Google', startPath: '/v1/auth/oidc/iss-9/start' }],
};
const issuerCalls = () => calls.filter((c) => c.url.startsWith('/v1/auth/oidc/issuers'));

describe('sign-in page: OIDC buttons', () => {
  beforeEach(() => {
    answer = (url) => {
      const m = /^\/v1\/auth\/oidc\/issuers\?tenant=([^&]+)$/.exec(url);
      return m
        ? { status: 200, body: { items: issuersOf[decodeURIComponent(m[1]!)] ?? [] } }
        : { status: 404, body: { status: 404, code: 'not_found' } };
    };
  });

  it('shows one button per issuer of the ?tenant= organisation, starting at startPath with returnTo', async () => {
    renderAt('/sign-in?tenant=acme&next=%2Fusers%2Fu-1%2Flicences');
    const entra = await screen.findByRole('link', { name: 'Sign in with Acme Entra ID' });
    expect(entra.getAttribute('href')).toBe('/v1/auth/oidc/iss-1/start?returnTo=%2Fusers%2Fu-1%2Flicences');
    expect(screen.getByRole('link', { name: 'Sign in with Acme Okta' }).getAttribute('href')).toBe(
      '/v1/auth/oidc/iss-2/start?returnTo=%2Fusers%2Fu-1%2Flicences',
    );
    expect(screen.queryByLabelText(/Organisation ID/)).toBeNull(); // the link names the organisation
    expect(issuerCalls().map((c) => c.url)).toEqual(['/v1/auth/oidc/issuers?tenant=acme']);
    expect(localStorage.getItem(TENANT_STORAGE_KEY)).toBe('acme');
  });

  // The Organisation ID field waits 400 ms after the last keystroke before it asks for the issuers.
  // These tests drive that wait on a fake clock instead of sleeping through it: under load, real
  // waits of 400 ms (three of them) plus the renders outlasted the test's time.
  describe('typing the Organisation ID', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    });
    afterEach(() => vi.useRealTimers());

    /** Lets `ms` pass on the fake clock, in act. */
    const pass = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
    /**
     * Runs every timer there is, and those they lead to, until none is left: the debounce fires in one
     * act; the render at its end starts the query, whose answer is delivered on a timer in the next.
     */
    const settle = async () => {
      for (let round = 0; round < 10; round++) {
        await act(() => vi.runAllTimersAsync());
        if (vi.getTimerCount() === 0) return;
      }
      throw new Error('timers keep coming: the page does not settle');
    };
    const typeOrganisation = async (field: HTMLInputElement, value: string) => {
      fireEvent.change(field, { target: { value } });
      await pass(399);
    };

    it('asks for nothing and shows no button without an organisation', async () => {
      renderAt('/sign-in');
      expect(screen.getByLabelText(/Organisation ID/)).toBeTruthy();
      await settle();
      expect(issuerCalls()).toEqual([]);
      expect(screen.queryByRole('link', { name: /Sign in with/ })).toBeNull();
    });

    it('takes the organisation from the remembered field, and remembers a new one typed in', async () => {
      localStorage.setItem(TENANT_STORAGE_KEY, 'globex');
      renderAt('/sign-in');
      const field = screen.getByLabelText<HTMLInputElement>(/Organisation ID/);
      expect(field.value).toBe('globex');
      await settle();
      const button = screen.getByRole('link', { name: 'Sign in with Globex Google' });
      expect(button.getAttribute('href')).toBe('/v1/auth/oidc/iss-9/start?returnTo=%2F');

      // Nothing is asked before the typing has paused for 400 ms; then the new organisation's buttons.
      await typeOrganisation(field, 'acme');
      expect(issuerCalls().map((c) => c.url)).toEqual(['/v1/auth/oidc/issuers?tenant=globex']);
      expect(localStorage.getItem(TENANT_STORAGE_KEY)).toBe('globex');
      await settle();
      expect(screen.getByRole('link', { name: 'Sign in with Acme Okta' })).toBeTruthy();
      expect(screen.queryByRole('link', { name: 'Sign in with Globex Google' })).toBeNull();
      expect(localStorage.getItem(TENANT_STORAGE_KEY)).toBe('acme');

      await typeOrganisation(field, 'initech');
      await settle();
      expect(screen.getByText(/No single sign-on is set up for this organisation ID/)).toBeTruthy();
      expect(screen.queryByRole('link', { name: /Sign in with/ })).toBeNull();

      await typeOrganisation(field, '');
      await settle();
      expect(localStorage.getItem(TENANT_STORAGE_KEY)).toBeNull();
      expect(issuerCalls().map((c) => c.url)).toEqual([
        '/v1/auth/oidc/issuers?tenant=globex',
        '/v1/auth/oidc/issuers?tenant=acme',
        '/v1/auth/oidc/issuers?tenant=initech',
      ]);
    });
  });

  it('returns only to same-site paths', () => {
    expect(safeNext('/users?q=a')).toBe('/users?q=a');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('one address in several organisations (G2)', () => {
  it('offers the organisations the password opened, and signs in to the one chosen', async () => {
    answer = (url) => {
      if (url !== '/v1/auth/login') return { status: 404, body: { status: 404, code: 'not_found' } };
      const last = calls.at(-1)!.body as { tenantId?: string };
      return last.tenantId
        ? { status: 200, body: { token: 'x', sessionId: 's', userId: 'u', tenantId: last.tenantId, expiresAt: '' } }
        : {
            status: 409,
            body: {
              status: 409,
              code: 'organisation_choice_required',
              rule: 'G2',
              organisations: [
                { tenantId: 'ten-a', name: 'Acme' },
                { tenantId: 'ten-g', name: 'Globex' },
              ],
            },
          };
    };
    renderAt('/sign-in');
    // Internationalised addresses are typed as they are: the field is not type="email" (the browser would refuse it).
    const email = screen.getByLabelText<HTMLInputElement>(/^Email/);
    expect(email.type).toBe('text');
    fireEvent.change(email, { target: { value: 'sławek@example.pl' } });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: 'paper lantern river morning' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText(/open accounts in several organisations/);
    fireEvent.click(screen.getByRole('button', { name: 'Globex' }));
    await waitFor(() => expect(calls.filter((c) => c.url === '/v1/auth/login')).toHaveLength(2));
    expect(calls.filter((c) => c.url === '/v1/auth/login').map((c) => c.body)).toEqual([
      { email: 'sławek@example.pl', password: 'paper lantern river morning', audience: 'portal' },
      { email: 'sławek@example.pl', password: 'paper lantern river morning', audience: 'portal', tenantId: 'ten-g' },
    ]);
    expect(screen.queryByTestId('problem')).toBeNull();
  });
});

describe('forgot password', () => {
  it('asks for a reset link and says one is on its way (202 whatever the address)', async () => {
    answer = () => ({ status: 202, body: { status: 'accepted' } });
    renderAt('/sign-in?forgot=1');
    expect(screen.getByRole('heading', { name: 'Reset your password' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Email/), { target: { value: 'nobody@acme.example' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    await screen.findByText(/a reset link is on its way/);
    expect(calls).toEqual([{ url: '/v1/auth/password-reset', method: 'POST', body: { email: 'nobody@acme.example' } }]);
  });
});

describe('choosing a password from an emailed link', () => {
  const fill = (password: string, repeat = password) => {
    fireEvent.change(screen.getByLabelText(/^New password/), { target: { value: password } });
    fireEvent.change(screen.getByLabelText(/^Repeat the new password/), { target: { value: repeat } });
  };

  it('shows the NIST rule and refuses a short password or a mismatch before asking the server', async () => {
    answer = () => ({ status: 204 });
    renderAt('/reset-password?token=sbr_abcdefghijkl');
    expect(screen.getByText(/At least 15 characters\. A few words work well/)).toBeTruthy();
    fill('short one');
    expect(screen.getByTestId('password-length').textContent).toBe('9 characters (at least 15)');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('Use at least 15 characters.')).toBeTruthy();
    fill('a long enough sentence', 'a long enough sentense');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('The two passwords are not the same.')).toBeTruthy();
    expect(calls).toEqual([]);
  });

  it('sets the password with the reset token and leads to sign-in', async () => {
    answer = () => ({ status: 204 });
    renderAt('/reset-password?token=sbr_abcdefghijkl');
    fill('paper lantern river morning');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    await screen.findByRole('heading', { name: 'Password changed' });
    expect(calls).toEqual([
      {
        url: '/v1/auth/password-reset/confirm',
        method: 'POST',
        body: { token: 'sbr_abcdefghijkl', password: 'paper lantern river morning' },
      },
    ]);
    expect(screen.getByRole('link', { name: 'Go to sign-in' }).getAttribute('href')).toBe('/sign-in');
  });

  it('accepts an invitation at /accept-invitation', async () => {
    answer = () => ({ status: 204 });
    renderAt('/accept-invitation?token=sbi_abcdefghijkl');
    expect(screen.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeTruthy();
    fill('paper lantern river morning');
    fireEvent.click(screen.getByRole('button', { name: 'Set password' }));
    await screen.findByRole('heading', { name: 'Your account is ready' });
    expect(calls).toEqual([
      {
        url: '/v1/auth/invitations/accept',
        method: 'POST',
        body: { token: 'sbi_abcdefghijkl', password: 'paper lantern river morning' },
      },
    ]);
  });

  it('explains an expired or used link in plain words, with a way to get a new one', async () => {
    answer = () => ({
      status: 400,
      body: { status: 400, code: 'invalid_token', rule: 'I3', field: '/token', detail: 'this link is not valid' },
    });
    renderAt('/reset-password?token=sbr_used_already');
    fill('paper lantern river morning');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    const problem = await screen.findByTestId('problem');
    expect(problem.textContent).toContain('This reset link has expired or was already used');
    expect(screen.getByRole('link', { name: 'Send me a new reset link' }).getAttribute('href')).toBe(
      '/sign-in?forgot=1',
    );
  });

  it('explains an invitation that no longer works', async () => {
    answer = () => ({ status: 400, body: { status: 400, code: 'invalid_token', rule: 'I3' } });
    renderAt('/accept-invitation?token=sbi_expired_one');
    fill('paper lantern river morning');
    fireEvent.click(screen.getByRole('button', { name: 'Set password' }));
    expect((await screen.findByTestId('problem')).textContent).toContain('Ask your administrator to send a new one');
  });

  it('explains a password the server finds too easy to guess', async () => {
    answer = () => ({
      status: 422,
      body: { status: 422, code: 'weak_password', field: '/password', detail: 'this password is too easy to guess' },
    });
    renderAt('/reset-password?token=sbr_abcdefghijkl');
    fill('aaaaaaaaaaaaaaaaaaaa');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect((await screen.findByTestId('problem')).textContent).toContain('too easy to guess');
  });

  it('asks for the code from the email when the link carries none', async () => {
    answer = () => ({ status: 204 });
    renderAt('/reset-password');
    fill('paper lantern river morning');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('Paste the code from the email.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Code from the email/), { target: { value: ' sbr_pasted_code ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    await screen.findByRole('heading', { name: 'Password changed' });
    expect(calls[0]!.body).toEqual({ token: 'sbr_pasted_code', password: 'paper lantern river morning' });
  });
});

describe("the operator's sign-in link (I3, switchboard demo)", () => {
  it('spends the link only on Continue, then opens the portal', async () => {
    answer = (url) =>
      url.endsWith('/v1/auth/sign-in-link')
        ? {
            status: 200,
            body: { token: 't', sessionId: 's', userId: 'usr_1', tenantId: 'tnt_1', expiresAt: 'x', csrfToken: 'c' },
          }
        : { status: 404 };
    renderAt('/sign-in/link?token=sbl_abc');
    expect(calls).toEqual([]);
    fireEvent.click(await screen.findByRole('button', { name: 'Continue' }));
    await screen.findByText('home');
    expect(calls).toEqual([{ url: '/v1/auth/sign-in-link', method: 'POST', body: { token: 'sbl_abc' } }]);
  });

  it('says why a spent link does not sign in, and offers the password sign-in', async () => {
    answer = () => ({
      status: 400,
      body: {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        code: 'invalid_token',
        rule: 'I3',
        detail: 'used',
      },
    });
    renderAt('/sign-in/link?token=sbl_spent');
    fireEvent.click(await screen.findByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.getByRole('alert')).toBeTruthy());
    expect(screen.getByRole('link', { name: 'Sign in with email and password instead' })).toBeTruthy();
  });
});
