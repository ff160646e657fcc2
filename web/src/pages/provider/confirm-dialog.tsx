/** A confirmation that says what an action will do, with the action's own label on its button. */
import type { ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { ProblemAlert } from '../../components/problem-alert.js';
import { useI18n } from '../../i18n/index.js';

export function ConfirmDialog(props: {
  opened: boolean;
  title: string;
  /** What happens when confirmed, in plain words. */
  text: string;
  /** The confirming button's label. */
  action: string;
  color?: string;
  pending: boolean;
  error: unknown;
  disabled?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  /** More to fill in before confirming (e.g. the name typed). */
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title}>
      <Stack>
        {props.error ? <ProblemAlert error={props.error} /> : null}
        <Text size="sm">{props.text}</Text>
        {props.children}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color={props.color ?? 'red'}
            loading={props.pending}
            disabled={props.disabled}
            onClick={props.onConfirm}
          >
            {props.action}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
