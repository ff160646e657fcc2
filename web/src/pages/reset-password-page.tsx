/**
 * Choosing a password from an emailed link (SPEC I3): `/reset-password?token=…` (password reset) and
 * `/accept-invitation?token=…` (invitation). The token comes from the link; without one, the page asks
 * for the code the mail also carries. NIST SP 800-63B: at least 15 characters, no composition rules.
 */
import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, PasswordInput, Text, TextInput } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { createClient, isApiError } from '../../../client/index.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { useI18n } from '../i18n/index.js';
import { PublicFormCard } from '../components/public-form-card.js';

/** The server's minimum (src/modules/auth/password-policy.ts), counted in code points like the server. */
export const MIN_PASSWORD_LENGTH = 15;
export const passwordLength = (password: string) => [...password].length;

export type PasswordPurpose = 'reset' | 'invite';

export function ResetPasswordPage() {
  return <SetPasswordPage purpose="reset" />;
}

export function AcceptInvitationPage() {
  return <SetPasswordPage purpose="invite" />;
}

export function SetPasswordPage({ purpose }: { purpose: PasswordPurpose }) {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const linkToken = params.get('token')?.trim() ?? '';
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const token = linkToken || code.trim();
  const tooShort = passwordLength(password) < MIN_PASSWORD_LENGTH;
  const mismatch = repeat !== password;
  const p = purpose === 'reset' ? 'reset' : 'invite';
  const code_ = isApiError(error) ? error.code : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    setError(null);
    if (tooShort || mismatch || !token) return;
    setBusy(true);
    try {
      const auth = createClient({ baseUrl: '' }).auth;
      if (purpose === 'reset') await auth.confirmPasswordReset(token, password);
      else await auth.acceptInvitation(token, password);
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <PublicFormCard
      titleId="set-password-title"
      onSubmit={submit}
      noValidate
      width={440}
      title={done ? t(`${p}.doneTitle`) : t(`${p}.title`)}
    >
      {done ? (
        <>
          <Text role="status" data-testid="password-set">
            {t(`${p}.done`)}
          </Text>
          <Button component={Link} to="/sign-in" replace>
            {t('setPassword.toSignIn')}
          </Button>
        </>
      ) : (
        <>
          <Text c="dimmed" size="sm">
            {t(`${p}.help`)}
          </Text>
          {code_ === 'invalid_token' ? (
            <Alert
              color="red"
              role="alert"
              data-testid="problem"
              data-code="invalid_token"
              title={t('setPassword.badLinkTitle')}
            >
              <Text size="sm">{t(`${p}.badLink`)}</Text>
              {purpose === 'reset' && (
                <Anchor component={Link} to="/sign-in?forgot=1" size="sm" display="block" mt="xs">
                  {t('reset.requestNew')}
                </Anchor>
              )}
            </Alert>
          ) : code_ === 'weak_password' ? (
            <Alert
              color="red"
              role="alert"
              data-testid="problem"
              data-code="weak_password"
              title={t('setPassword.weakTitle')}
            >
              <Text size="sm">{t('setPassword.weak')}</Text>
            </Alert>
          ) : error ? (
            <ProblemAlert error={error} onClose={() => setError(null)} />
          ) : null}
          {!linkToken && (
            <TextInput
              label={t('setPassword.code')}
              description={t('setPassword.codeHelp')}
              required
              value={code}
              autoComplete="one-time-code"
              onChange={(e) => setCode(e.currentTarget.value)}
              error={tried && !code.trim() ? t('setPassword.codeMissing') : undefined}
            />
          )}
          <PasswordInput
            label={t('setPassword.password')}
            required
            value={password}
            autoComplete="new-password"
            name="new-password"
            description={t('setPassword.rule', { min: MIN_PASSWORD_LENGTH })}
            error={tried && tooShort ? t('setPassword.tooShort', { min: MIN_PASSWORD_LENGTH }) : undefined}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('setPassword.repeat')}
            required
            value={repeat}
            autoComplete="new-password"
            name="repeat-password"
            error={tried && !tooShort && mismatch ? t('setPassword.mismatch') : undefined}
            onChange={(e) => setRepeat(e.currentTarget.value)}
          />
          <Text size="xs" c="dimmed" data-testid="password-length" aria-live="polite">
            {t('setPassword.length', { count: passwordLength(password), min: MIN_PASSWORD_LENGTH })}
          </Text>
          <Button type="submit" loading={busy} fullWidth>
            {t(`${p}.submit`)}
          </Button>
        </>
      )}
      {!done && (
        <Anchor component={Link} to="/sign-in" size="sm">
          {t('signIn.back')}
        </Anchor>
      )}
    </PublicFormCard>
  );
}
