/** A `whsec_…` secret, shown once after creating an endpoint or rotating its secret, with a copy button. */
import { Alert, Button, Code, CopyButton, Group, Text } from '@mantine/core';
import { useI18n } from '../../i18n/index.js';
import { formatDateTime } from '../../lib/format.js';

export interface ShownSecret {
  url: string;
  secret: string;
  /** After a rotation: until when the old secret keeps signing too (null: no overlap). */
  rotated?: { previousSecretExpiresAt: string | null };
}

export function SecretOnce({ shown, onClose }: { shown: ShownSecret; onClose: () => void }) {
  const { t, lang } = useI18n();
  return (
    <Alert
      color="teal"
      title={t('webhooks.secretTitle')}
      mb="md"
      withCloseButton
      closeButtonLabel={t('common.close')}
      onClose={onClose}
      data-testid="webhook-secret-once"
    >
      <Text size="sm" mb="xs">
        {shown.url}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code fz="sm" data-testid="webhook-secret" style={{ wordBreak: 'break-all' }}>
          {shown.secret}
        </Code>
        <CopyButton value={shown.secret}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? t('webhooks.copied') : t('webhooks.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed" mt="xs">
        {t('webhooks.secretHelp')}
      </Text>
      {shown.rotated && (
        <Text size="sm" mt="xs" data-testid="webhook-overlap">
          {shown.rotated.previousSecretExpiresAt
            ? t('webhooks.overlapUntil', { time: formatDateTime(shown.rotated.previousSecretExpiresAt, lang) })
            : t('webhooks.overlapNone')}
        </Text>
      )}
    </Alert>
  );
}
