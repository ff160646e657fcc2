/** Choosing a new password from a reset or invitation link (SPEC I3). */
import { useState, type FormEvent } from 'react';
import { Anchor, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { createClient } from '../../../client/index.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { useI18n } from '../i18n/index.js';

export function ResetPasswordPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try { await createClient({ baseUrl: '' }).auth.confirmPasswordReset(params.get('token') ?? '', password); setDone(true); }
    catch (err) { setError(err); }
  }
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder p="xl" radius="lg" w="100%" maw={420}>
        <form onSubmit={submit}>
          <Stack>
            <Title order={1} size="h2">{t('reset.title')}</Title>
            {error ? <ProblemAlert error={error} /> : null}
            {done ? <Text role="status">{t('reset.done')}</Text> : (
              <>
                <PasswordInput label={t('reset.newPassword')} required minLength={8} value={password} autoComplete="new-password"
                  onChange={(e) => setPassword(e.currentTarget.value)} />
                <Button type="submit">{t('reset.submit')}</Button>
              </>
            )}
            <Anchor href="/sign-in" size="sm">{t('signIn.back')}</Anchor>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
