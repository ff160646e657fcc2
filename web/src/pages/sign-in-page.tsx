/**
 * Sign-in: email and password, forgot password, provider token, and one OIDC button per issuer of the
 * organisation. The organisation comes from `?tenant=` (a per-organisation sign-in link) or from the
 * optional "Organisation ID" field; either is remembered in localStorage (`sb.signInTenant`).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Anchor, Box, Button, Divider, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { createClient } from '../../../client/index.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { useI18n } from '../i18n/index.js';
import { organisationChoice, useSession, type OrganisationChoice } from '../session.js';
import { PublicFormCard } from '../components/public-form-card.js';

type Mode = 'password' | 'forgot' | 'provider';

/** Where the sign-in page remembers the organisation whose OIDC buttons it shows. */
export const TENANT_STORAGE_KEY = 'sb.signInTenant';

function rememberedTenant(): string {
  try {
    return localStorage.getItem(TENANT_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberTenant(tenant: string): void {
  try {
    if (tenant) localStorage.setItem(TENANT_STORAGE_KEY, tenant);
    else localStorage.removeItem(TENANT_STORAGE_KEY);
  } catch {
    /* private mode */
  }
}

/** A same-site path to return to after signing in (never another origin). */
export function safeNext(next: string | null): string {
  return next && /^\/(?!\/)/.test(next) && !next.startsWith('/sign-in') ? next : '/';
}

export function SignInPage() {
  const { t } = useI18n();
  const { signInWithPassword, signInAsProvider } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [mode, setMode] = useState<Mode>(params.has('forgot') ? 'forgot' : 'password');
  // `?email=`: a link that names who signs in (the demo's administrator) fills it in.
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [providerToken, setProviderToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [resetSent, setResetSent] = useState(false);
  /** G2: the organisations this email and password open, when more than one does. */
  const [choices, setChoices] = useState<OrganisationChoice[] | null>(null);
  const linkTenant = params.get('tenant')?.trim() ?? '';
  const [organisation, setOrganisation] = useState(() => linkTenant || rememberedTenant());
  const [typedTenant] = useDebouncedValue(organisation.trim(), 400);
  const tenant = linkTenant || typedTenant;
  useEffect(() => {
    rememberTenant(tenant);
  }, [tenant]);
  const issuers = useQuery({
    queryKey: ['oidc-issuers', tenant],
    queryFn: () => createClient({ baseUrl: '' }).auth.oidcIssuers(tenant),
    enabled: tenant !== '',
    retry: false,
    staleTime: 300_000,
  });
  const next = safeNext(params.get('next'));
  const buttons = tenant ? (issuers.data?.items ?? []) : [];

  async function signIn(tenantId?: string) {
    try {
      await signInWithPassword(email.trim(), password, tenantId);
      void navigate(next, { replace: true });
    } catch (err) {
      const offered = organisationChoice(err);
      if (!offered) throw err;
      setChoices(offered);
    }
  }

  async function submit(e: FormEvent, tenantId?: string) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'password') await signIn(tenantId);
      if (mode === 'provider') {
        await signInAsProvider(providerToken.trim());
        void navigate('/', { replace: true });
      }
      if (mode === 'forgot') {
        await createClient({ baseUrl: '' }).auth.requestPasswordReset(email.trim());
        setResetSent(true);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <PublicFormCard
      titleId="sign-in-title"
      onSubmit={submit}
      title={
        mode === 'forgot'
          ? t('signIn.forgotTitle')
          : mode === 'provider'
            ? t('signIn.providerTitle')
            : t('signIn.title')
      }
    >
      <Text c="dimmed" size="sm">
        {mode === 'forgot'
          ? t('signIn.forgotHelp')
          : mode === 'provider'
            ? t('signIn.providerHelp')
            : t('signIn.subtitle')}
      </Text>
      {error ? <ProblemAlert error={error} onClose={() => setError(null)} /> : null}
      {resetSent && mode === 'forgot' && (
        <Text size="sm" role="status" c="teal.9">
          {t('signIn.resetSent')}
        </Text>
      )}
      {mode === 'password' && choices && (
        <Stack gap="xs" role="group" aria-labelledby="organisation-choice">
          <Text id="organisation-choice" size="sm" fw={500}>
            {t('signIn.chooseOrganisation')}
          </Text>
          {choices.map((o) => (
            <Button
              key={o.tenantId}
              variant="default"
              loading={busy}
              onClick={(e) => void submit(e, o.tenantId)}
              styles={{ label: { whiteSpace: 'normal' } }}
            >
              {o.name}
            </Button>
          ))}
        </Stack>
      )}
      {mode !== 'provider' && (
        <TextInput
          label={t('signIn.email')}
          // Not type="email": browsers refuse internationalised addresses (RFC 6531) the server accepts.
          type="text"
          inputMode="email"
          autoComplete="username"
          spellCheck={false}
          required
          value={email}
          onChange={(e) => {
            setEmail(e.currentTarget.value);
            setChoices(null);
          }}
          name="email"
        />
      )}
      {mode === 'password' && (
        <PasswordInput
          label={t('signIn.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => {
            setPassword(e.currentTarget.value);
            setChoices(null);
          }}
          name="password"
        />
      )}
      {mode === 'provider' && (
        <PasswordInput
          label={t('signIn.providerToken')}
          required
          value={providerToken}
          autoComplete="off"
          onChange={(e) => setProviderToken(e.currentTarget.value)}
          name="providerToken"
        />
      )}
      <Button type="submit" loading={busy} fullWidth>
        {mode === 'forgot' ? t('signIn.sendReset') : t('signIn.submit')}
      </Button>
      {mode === 'password' && buttons.length > 0 && (
        <>
          <Divider label={t('signIn.or')} labelPosition="center" />
          <Stack gap="xs" data-testid="oidc-buttons">
            {buttons.map((i) => (
              <Button
                key={i.id}
                variant="default"
                component="a"
                href={createClient({ baseUrl: '' }).auth.oidcStartUrl(i, next)}
              >
                {t('signIn.withIssuer', { name: i.name })}
              </Button>
            ))}
          </Stack>
        </>
      )}
      {mode === 'password' && !linkTenant && (
        <TextInput
          label={t('signIn.organisation')}
          value={organisation}
          size="sm"
          name="organisation"
          autoComplete="off"
          description={
            tenant && issuers.isSuccess && buttons.length === 0 && tenant === organisation.trim()
              ? t('signIn.noIssuers')
              : t('signIn.organisationHelp')
          }
          onChange={(e) => setOrganisation(e.currentTarget.value)}
        />
      )}
      <Box>
        <Group justify="space-between">
          {mode !== 'password' ? (
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setMode('password');
                setError(null);
              }}
            >
              {t('signIn.back')}
            </Anchor>
          ) : (
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setMode('forgot');
                setError(null);
                setResetSent(false);
              }}
            >
              {t('signIn.forgot')}
            </Anchor>
          )}
          {mode !== 'provider' && (
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setMode('provider');
                setError(null);
              }}
            >
              {t('signIn.asProvider')}
            </Anchor>
          )}
        </Group>
        <Anchor href="/live" size="sm" display="block" mt="xs">
          {t('signIn.liveLink')}
        </Anchor>
      </Box>
    </PublicFormCard>
  );
}
