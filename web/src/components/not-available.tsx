/** Polite state for a screen whose endpoint the server does not offer (yet). */
import { Alert, Text } from '@mantine/core';
import { useI18n } from '../i18n/index.js';

export function NotAvailable({ what }: { what?: string }) {
  const { t } = useI18n();
  return (
    <Alert color="gray" title={t('notAvailable.title')} data-testid="not-available">
      <Text size="sm">{what ? t('notAvailable.bodyWhat', { what }) : t('notAvailable.body')}</Text>
    </Alert>
  );
}

/** A screen the signed-in user may not open: said at once, with what it needs, instead of a failed request. */
export function NotAllowed() {
  const { t } = useI18n();
  return (
    <Alert color="gray" title={t('notAllowed.title')} data-testid="not-allowed">
      <Text size="sm">{t('notAllowed.body')}</Text>
    </Alert>
  );
}
