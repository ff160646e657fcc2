/** A form that saves through one mutation: its refusal above the fields, Cancel and the submit button below them. */
import type { ReactNode } from 'react';
import { Button, Group, Stack } from '@mantine/core';
import { useI18n } from '../i18n/index.js';
import { ProblemAlert } from './problem-alert.js';

export function MutationForm({
  mutation,
  submitLabel,
  onCancel,
  children,
}: {
  /** The save (a TanStack Query mutation): submitting runs it; its error shows, its pending state spins the button. */
  mutation: { mutate: () => void; error: unknown; isPending: boolean };
  submitLabel: string;
  onCancel: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate();
      }}
    >
      <Stack>
        {mutation.error ? <ProblemAlert error={mutation.error} /> : null}
        {children}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
