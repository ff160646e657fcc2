/**
 * `/sign-in/link?token=…`: an operator's single-use sign-in link (`switchboard demo`, SPEC I3). The
 * link is spent only when the person presses Continue, so a link preview or prefetch cannot use it up.
 */
import { useState } from 'react';
import { Anchor, Button, Text } from '@mantine/core';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ProblemAlert } from '../components/problem-alert.js';
import { PublicFormCard } from '../components/public-form-card.js';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';

export function SignInLinkPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token')?.trim() ?? '';
  const { signInWithLink } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function go() {
    setBusy(true);
    setError(null);
    try {
      await signInWithLink(token);
      void navigate('/', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <PublicFormCard
      titleId="sign-in-link-title"
      title={t('signInLink.title')}
      onSubmit={(e) => {
        e.preventDefault();
        void go();
      }}
    >
      <Text size="sm" mb="md">
        {t('signInLink.help')}
      </Text>
      {error !== null && <ProblemAlert error={error} />}
      <Button type="submit" fullWidth mt="md" loading={busy} disabled={!token}>
        {t('signInLink.continue')}
      </Button>
      <Text size="sm" mt="md" ta="center">
        <Anchor component={Link} to="/sign-in">
          {t('signInLink.password')}
        </Anchor>
      </Text>
    </PublicFormCard>
  );
}
