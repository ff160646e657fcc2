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
