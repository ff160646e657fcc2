/** A refusal or failure in plain words, with the SPEC rule and, on 412, an offer to reload. */
import { Alert, Button, Group, Text } from '@mantine/core';
import { useI18n } from '../i18n/index.js';
import { describeProblem } from '../lib/problem-message.js';

export function ProblemAlert({
  error,
  onReload,
  onClose,
}: {
  error: unknown;
  onReload?: () => void;
  onClose?: () => void;
}) {
  const tr = useI18n();
  const p = describeProblem(error, tr);
  return (
    <Alert
      color={p.reload ? 'yellow' : 'red'}
      title={p.reload ? tr.t('problem.conflictTitle') : tr.t('problem.title')}
      role="alert"
      data-testid="problem"
      data-code={p.code}
      data-rule={p.rule ?? ''}
      withCloseButton={!!onClose}
      closeButtonLabel={tr.t('common.close')}
      onClose={onClose}
    >
      <Text size="sm">{p.message}</Text>
      {p.rule && (
        <Text size="sm" mt={4} fw={500}>
          {tr.t('problem.rule', { rule: p.rule })}
          {p.ruleText ? `: ${p.ruleText}` : ''}
        </Text>
      )}
      {p.field && (
        <Text size="xs" c="dimmed" mt={4}>
          {tr.t('problem.field', { field: p.field })}
        </Text>
      )}
      {p.reload && onReload && (
        <Group mt="sm">
          <Button size="xs" variant="light" onClick={onReload}>
            {tr.t('problem.reload')}
          </Button>
        </Group>
      )}
    </Alert>
  );
}
