/**
 * Settings: the tenant as its admins see it (plan, region, seats: the provider's, C8), and the
 * tenant's session policy (S3), which its admins set within the provider's bounds. Webhooks (W1)
 * get a section here once the server has routes for them.
 */
import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTenant } from '../api/hooks.js';
import { PageHeader } from '../components/page-header.js';
import { QueryState } from '../components/query-state.js';
import { useI18n } from '../i18n/index.js';
import { regionName } from '../lib/regions.js';
import { useSession } from '../session.js';
import { PLANS_QUERY_KEY, planLabel } from './provider/plan-label.js';
import { SessionPolicyCard } from './session-policy-card.js';

export function SettingsPage() {
  const { t, lang } = useI18n();
  const tenant = useTenant();
  const { client } = useSession();
  // The tenant's own plan (its name, when it is one of the provider's plans; built-in ones are translated).
  const plans = useQuery({ queryKey: PLANS_QUERY_KEY, queryFn: () => client.plans.list(), retry: false });
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
                  <Text fw={500}>{planLabel(t, x.plan, plans.data?.items)}</Text>
                  <Group gap={4} mt={4}>
                    {x.planFeatures.map((f) => (
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
                  <Text fw={500}>{t(`policy.${x.policies?.agentAddOn ?? 'manual'}`)}</Text>
                </div>
              </SimpleGrid>
              <Text size="xs" c="dimmed" mt="sm">
                {t('settings.providerOwned')}
              </Text>
            </Card>
          )}
        </QueryState>
        <QueryState query={tenant} what={t('sessionPolicy.title')}>
          {(x) => <SessionPolicyCard tenant={x} />}
        </QueryState>
      </Stack>
    </>
  );
}
