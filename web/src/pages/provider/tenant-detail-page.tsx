/**
 * Provider: one tenant's plan, licence caps, seats and auto-assignment policy (C8), usage; its status
 * (suspend, resume, delete), platform tokens and OIDC identity providers.
 */
import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import type { CapWarning, Tenant } from '../../../../client/index.js';
import { BILLABLE_KEYS, REGION_CODES } from '../../../../src/contract/index.js';
import { qk } from '../../api/hooks.js';
import { PageHeader } from '../../components/page-header.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { regionName } from '../../lib/regions.js';
import { useSession } from '../../session.js';
import { OidcIssuersCard } from './oidc-issuers-card.js';
import { PLANS_QUERY_KEY, planLabel } from './plan-label.js';
import { PlatformTokensCard } from './platform-tokens-card.js';
import { TenantLifecycle } from './tenant-lifecycle.js';

function TenantForm({ tenant }: { tenant: Tenant }) {
  const { t, lang } = useI18n();
  const { client, setTenant } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(tenant);
  const plans = useQuery({ queryKey: PLANS_QUERY_KEY, queryFn: () => client.plans.list() });
  useEffect(() => setDraft(tenant), [tenant]);
  const usage = useQuery({ queryKey: qk.usage(tenant.id), queryFn: () => client.usage.get(tenant.id), retry: false });
  const body = {
    plan: draft.plan,
    homeRegion: draft.homeRegion,
    seats: draft.seats,
    licencePools: draft.licencePools,
    policies: draft.policies,
  };
  /** S5: what lowering a limit below use would mean, asked before saving (a dry run writes nothing). */
  const [warnings, setWarnings] = useState<CapWarning[] | null>(null);
  const save = useMutation({
    mutationFn: () => client.tenants.update(tenant.id, body, tenant.version),
    onSuccess: ({ warnings: _, ...x }) => {
      setWarnings(null);
      queryClient.setQueryData(qk.tenant(tenant.id), x);
      void queryClient.invalidateQueries({ queryKey: qk.tenants() });
    },
  });
  const check = useMutation({
    mutationFn: () => client.tenants.update(tenant.id, body, tenant.version, { dryRun: true }),
    onSuccess: (r) => (r.warnings.length ? setWarnings(r.warnings) : save.mutate()),
  });
  const dirty = JSON.stringify(draft) !== JSON.stringify(tenant);
  const setPool = (k: string, v: number | null) =>
    setDraft((d) => ({ ...d, licencePools: { ...d.licencePools, [k]: v } }));
  return (
    <Stack>
      {save.error ? (
        <ProblemAlert
          error={save.error}
          onReload={() => void queryClient.invalidateQueries({ queryKey: qk.tenant(tenant.id) })}
        />
      ) : null}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('provider.planAndSeats')}
          </Title>
          <Stack>
            <Select
              label={t('tenant.plan')}
              value={draft.plan}
              allowDeselect={false}
              data={(plans.data?.items ?? [{ key: tenant.plan, name: tenant.plan, features: tenant.planFeatures }]).map(
                (p) => ({
                  value: p.key,
                  label: `${planLabel(t, p.key, plans.data?.items)}: ${
                    p.features.map((f) => t(`planFeature.${f}`)).join(', ') || t('provider.planNoFeatures')
                  }`,
                }),
              )}
              onChange={(v) => v && setDraft((d) => ({ ...d, plan: v }))}
            />
            <Select
              label={t('tenant.homeRegion')}
              value={draft.homeRegion}
              searchable
              allowDeselect={false}
              data={REGION_CODES.map((c) => ({ value: c, label: `${regionName(c, lang)} (${c})` }))}
              onChange={(v) => v && setDraft((d) => ({ ...d, homeRegion: v }))}
            />
            <NumberInput
              label={t('tenant.seats')}
              description={t('provider.seatsHelp')}
              min={0}
              value={draft.seats ?? ''}
              onChange={(v) => setDraft((d) => ({ ...d, seats: v === '' ? null : Number(v) }))}
            />
            <div>
              <Text size="sm" fw={500} id="policy-label">
                {t('tenant.agentPolicy')}
              </Text>
              <SegmentedControl
                aria-labelledby="policy-label"
                value={draft.policies?.agentAddOn ?? 'manual'}
                data={[
                  { value: 'manual', label: t('policy.manual') },
                  { value: 'auto', label: t('policy.auto') },
                ]}
                onChange={(v) =>
                  setDraft((d) => ({ ...d, policies: { ...d.policies, agentAddOn: v as 'manual' | 'auto' } }))
                }
              />
              <Text size="xs" c="dimmed" mt={4}>
                {t('provider.policyHelp')}
              </Text>
            </div>
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('provider.caps')}
          </Title>
          <Stack gap="xs">
            {BILLABLE_KEYS.map((k) => (
              <Group key={k} justify="space-between" wrap="nowrap">
                <Text size="sm">
                  {t(`billable.${k}`)}
                  {usage.data?.licences[k]
                    ? ` · ${t('provider.assigned', { count: usage.data.licences[k].assigned })}`
                    : ''}
                </Text>
                <NumberInput
                  size="xs"
                  w={140}
                  min={0}
                  aria-label={t('provider.capFor', { licence: t(`billable.${k}`) })}
                  placeholder={t('usage.unlimited')}
                  value={draft.licencePools?.[k] ?? ''}
                  onChange={(v) => setPool(k, v === '' ? null : Number(v))}
                />
              </Group>
            ))}
            <Text size="xs" c="dimmed">
              {t('provider.capsHelp')}
            </Text>
          </Stack>
        </Card>
      </SimpleGrid>
      {check.error ? <ProblemAlert error={check.error} /> : null}
      {warnings && (
        <Alert color="orange" title={t('provider.belowUse')} data-testid="cap-warnings" role="alert">
          <Stack gap="xs">
            {warnings.map((w) => (
              <Text size="sm" key={w.field}>
                {w.code === 'seats_below_use'
                  ? t('provider.seatsBelowUse', { inUse: w.inUse, limit: w.limit })
                  : t('provider.capBelowUse', {
                      inUse: w.inUse,
                      limit: w.limit,
                      licence: t(`billable.${w.field.split('/').pop()}`),
                    })}
              </Text>
            ))}
            <Group>
              <Button color="orange" onClick={() => save.mutate()} loading={save.isPending}>
                {t('provider.saveAnyway')}
              </Button>
              <Button variant="default" onClick={() => setWarnings(null)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <Group>
        <Button
          onClick={() => check.mutate()}
          disabled={!dirty || warnings !== null}
          loading={check.isPending || (save.isPending && !warnings)}
        >
          {t('common.save')}
        </Button>
        <Button
          variant="light"
          onClick={() => {
            setTenant(tenant.id);
            void navigate('/users');
          }}
        >
          {t('provider.open')}
        </Button>
      </Group>
      {usage.data && (
        <Text size="sm" c="dimmed">
          {t('provider.seatUse', { inUse: usage.data.seats.inUse, peak: usage.data.seats.peak })}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TenantLifecycle tenant={tenant} />
        <PlatformTokensCard tenantId={tenant.id} />
      </SimpleGrid>
      <OidcIssuersCard tenantId={tenant.id} />
    </Stack>
  );
}

export function TenantDetailPage() {
  const { t } = useI18n();
  const { tenantId = '' } = useParams();
  const { client } = useSession();
  const tenant = useQuery({ queryKey: qk.tenant(tenantId), queryFn: () => client.tenants.get(tenantId) });
  return (
    <>
      <PageHeader title={tenant.data?.name ?? t('nav.tenants')} description={t('provider.detailDescription')} />
      <QueryState query={tenant} what={t('nav.tenants')}>
        {(x) => <TenantForm tenant={x} />}
      </QueryState>
    </>
  );
}
