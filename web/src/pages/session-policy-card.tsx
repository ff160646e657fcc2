/**
 * The tenant's session policy (S3): the app-session lapse and the portal idle time, within the
 * provider's bounds (a value outside them is refused with `policy_out_of_bounds`). Editable with
 * settings:edit; shown read-only otherwise.
 */
import { useEffect, useState } from 'react';
import { Button, Card, Group, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Tenant } from '../../../client/index.js';
import { qk, useActor } from '../api/hooks.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { useI18n } from '../i18n/index.js';
import { actorCan } from '../lib/actor.js';
import { useSession } from '../session.js';

const DEFAULT_POLICY = { appLapseSeconds: 90, portalIdleMinutes: 30 };

export function SessionPolicyCard({ tenant }: { tenant: Tenant }) {
  const { t } = useI18n();
  const { client } = useSession();
  const { actor } = useActor();
  const queryClient = useQueryClient();
  const current = tenant.sessionPolicy ?? DEFAULT_POLICY;
  const [draft, setDraft] = useState(current);
  useEffect(() => setDraft(tenant.sessionPolicy ?? DEFAULT_POLICY), [tenant.sessionPolicy]);
  const canEdit = actorCan(actor, 'settings:edit');
  const save = useMutation({
    mutationFn: () => client.tenants.update(tenant.id, { sessionPolicy: draft }, tenant.version),
    onSuccess: ({ warnings: _, ...x }) => queryClient.setQueryData(qk.tenant(tenant.id), x),
  });
  const dirty =
    draft.appLapseSeconds !== current.appLapseSeconds || draft.portalIdleMinutes !== current.portalIdleMinutes;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('sessionPolicy.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('sessionPolicy.description')}
      </Text>
      <Stack>
        {save.error ? (
          <ProblemAlert
            error={save.error}
            onReload={() => void queryClient.invalidateQueries({ queryKey: qk.tenant(tenant.id) })}
          />
        ) : null}
        <Group grow align="flex-start">
          <NumberInput
            label={t('sessionPolicy.appLapse')}
            description={t('sessionPolicy.appLapseHelp')}
            min={1}
            allowDecimal={false}
            disabled={!canEdit}
            value={draft.appLapseSeconds}
            onChange={(v) => typeof v === 'number' && setDraft((d) => ({ ...d, appLapseSeconds: v }))}
          />
          <NumberInput
            label={t('sessionPolicy.portalIdle')}
            description={t('sessionPolicy.portalIdleHelp')}
            min={1}
            allowDecimal={false}
            disabled={!canEdit}
            value={draft.portalIdleMinutes}
            onChange={(v) => typeof v === 'number' && setDraft((d) => ({ ...d, portalIdleMinutes: v }))}
          />
        </Group>
        {canEdit && (
          <Group>
            <Button onClick={() => save.mutate()} disabled={!dirty} loading={save.isPending}>
              {t('sessionPolicy.save')}
            </Button>
            {save.isSuccess && !dirty && (
              <Text size="sm" c="green" role="status">
                {t('sessionPolicy.saved')}
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}
