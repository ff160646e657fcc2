/**
 * The frame of every call-data screen: its title, and either the screen or, below the user's level, the
 * screen greyed with the reason and its rule (X1). The user's configuration follows the config stream,
 * so a level raised meanwhile opens the screen without signing in again.
 */
import type { ReactNode } from 'react';
import { Alert, Center, Loader, Text } from '@mantine/core';
import { useConfigStream } from '../../api/config-stream.js';
import { useActor } from '../../api/hooks.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { describeBlock } from '../../lib/problem-message.js';
import { screenAccess, type CallDataScreen } from './screen-access.js';

/** A screen (or part of one) the user may not open: greyed, with why (the rule in brackets). */
export function GreyedScreen({ screen }: { screen: CallDataScreen }) {
  const tr = useI18n();
  const { actor } = useActor();
  const access = screenAccess(actor, screen);
  if (access.allowed) return null;
  return (
    <Alert
      color="gray"
      variant="light"
      title={tr.t('callData.greyed.title')}
      data-testid="screen-greyed"
      data-screen={screen}
      data-rule={access.reason.rule}
    >
      <Text size="sm" c="dimmed">
        {describeBlock(access.reason, tr)}
      </Text>
    </Alert>
  );
}

export function CallDataGate({
  screen,
  title,
  description,
  actions,
  children,
}: {
  screen: CallDataScreen;
  title: string;
  description?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { actor, loading } = useActor();
  useConfigStream();
  const allowed = screenAccess(actor, screen).allowed;
  return (
    <>
      <PageHeader title={title} description={description} actions={allowed ? actions : undefined} />
      {loading ? (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      ) : allowed ? (
        children
      ) : (
        <GreyedScreen screen={screen} />
      )}
    </>
  );
}
