/** Settings: the tenant as its admins see it (plan, region, seats: the provider's, C8) and webhooks (W1). */
import { useState } from 'react';
import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PLANS } from '../../../src/contract/index.js';
import { useTenant, useTenantId } from '../api/hooks.js';
import { PageHeader } from '../components/page-header.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { QueryState } from '../components/query-state.js';
import { useI18n } from '../i18n/index.js';
import { regionName } from '../lib/regions.js';
import { useSession } from '../session.js';

function Webhooks() {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const queryClient = useQueryClient();
  const key = ['webhooks', tenantId];
  const hooks = useQuery({ queryKey: key, queryFn: () => client.webhooks.list(tenantId), enabled: !!tenantId });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('user.updated, user.created');
  const create = useMutation({
    mutationFn: () =>
      client.webhooks.create(tenantId, {
        url,
        events: events
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean),
      }),
    onSuccess: async () => {
      setUrl('');
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => client.webhooks.remove(tenantId, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('settings.webhooks')}
      </Title>
      <QueryState query={hooks} what={t('settings.webhooks')}>
        {(page) => (
          <Stack>
            {create.error ? <ProblemAlert error={create.error} onClose={() => create.reset()} /> : null}
            {remove.error ? <ProblemAlert error={remove.error} onClose={() => remove.reset()} /> : null}
            <Table aria-label={t('settings.webhooks')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>URL</Table.Th>
                  <Table.Th>{t('settings.events')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((w) => (
                  <Table.Tr key={w.id}>
                    <Table.Td>{w.url}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {w.events.map((e) => (
                          <Badge key={e} size="xs" variant="outline">
                            {e}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Button size="xs" color="red" variant="subtle" onClick={() => remove.mutate(w.id)}>
                        {t('common.delete')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {page.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={3}>
                      <Text size="sm" c="dimmed">
                        {t('settings.noWebhooks')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                create.mutate();
              }}
            >
              <Group align="flex-end" gap="xs">
                <TextInput
                  label="URL"
                  type="url"
                  required
                  value={url}
                  onChange={(e) => setUrl(e.currentTarget.value)}
                  w={320}
                />
                <TextInput
                  label={t('settings.events')}
                  value={events}
                  onChange={(e) => setEvents(e.currentTarget.value)}
                  w={260}
                />
                <Button type="submit" loading={create.isPending}>
                  {t('settings.addWebhook')}
                </Button>
              </Group>
            </form>
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}

export function SettingsPage() {
  const { t, lang } = useI18n();
  const tenant = useTenant();
  return (
    <>
      <PageHeader title={t('nav.settings')} description={t('settings.description')} />
      <Stack>
        <QueryState query={tenant} what={t('nav.settings')}>
          {(x) => (
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {x.name}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <div>
                  <Text size="sm" c="dimmed">
                    {t('tenant.plan')}
                  </Text>
                  <Text fw={500}>{PLANS[x.plan]?.name ?? x.plan}</Text>
                  <Group gap={4} mt={4}>
                    {(PLANS[x.plan]?.features ?? []).map((f) => (
                      <Badge key={f} size="xs" variant="light">
                        {t(`planFeature.${f}`)}
                      </Badge>
                    ))}
                  </Group>
                </div>
                <div>
                  <Text size="sm" c="dimmed">
                    {t('tenant.homeRegion')}
                  </Text>
                  <Text fw={500}>
                    {regionName(x.homeRegion, lang)} ({x.homeRegion})
                  </Text>
                </div>
                <div>
                  <Text size="sm" c="dimmed">
                    {t('tenant.seats')}
                  </Text>
                  <Text fw={500}>{x.seats ?? t('usage.unlimited')}</Text>
                </div>
                <div>
                  <Text size="sm" c="dimmed">
                    {t('tenant.agentPolicy')}
                  </Text>
                  <Text fw={500}>{t(`policy.${x.policies.agentAddOn}`)}</Text>
                </div>
              </SimpleGrid>
              <Text size="xs" c="dimmed" mt="sm">
                {t('settings.providerOwned')}
              </Text>
            </Card>
          )}
        </QueryState>
        <Webhooks />
      </Stack>
    </>
  );
}
