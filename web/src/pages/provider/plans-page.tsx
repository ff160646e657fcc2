/** Provider: plans (SPEC 7). The built-in plans, read-only, and the provider's own: create and edit. */
import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Plan, PlanCreate } from '../../../../client/index.js';
import { PLAN_FEATURES, type PlanFeature } from '../../../../src/contract/index.js';
import { qk } from '../../api/hooks.js';
import { PageHeader } from '../../components/page-header.js';
import { MutationForm } from '../../components/mutation-form.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { PLANS_QUERY_KEY, planLabel } from './plan-label.js';

/** The form of a new plan (key, name, features) or of an existing one (name, features). */
function PlanForm({ plan, onDone }: { plan: Plan | null; onDone: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [key, setKey] = useState('');
  const [name, setName] = useState(plan?.name ?? '');
  const [features, setFeatures] = useState<string[]>(plan?.features ?? ['calls', 'sms']);
  const save = useMutation({
    mutationFn: () =>
      plan
        ? client.plans.update(plan.key, { name, features: features as PlanFeature[] }, plan.version)
        : client.plans.create({ key, name, features: features as PlanCreate['features'] }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: PLANS_QUERY_KEY });
      // Tenants on the plan show its new features.
      await queryClient.invalidateQueries({ queryKey: qk.tenants() });
      onDone();
    },
  });
  return (
    <MutationForm mutation={save} submitLabel={plan ? t('common.save') : t('common.create')} onCancel={onDone}>
      {plan ? (
        <Text size="sm">
          {t('provider.planKey')}: <code>{plan.key}</code>
        </Text>
      ) : (
        <TextInput
          label={t('provider.planKey')}
          description={t('provider.planKeyHelp')}
          required
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
        />
      )}
      <TextInput
        label={t('provider.planName')}
        required
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
      />
      <Checkbox.Group label={t('provider.planFeatures')} value={features} onChange={setFeatures}>
        <Stack gap={6} mt={6}>
          {PLAN_FEATURES.map((f) => (
            <Checkbox key={f} value={f} label={t(`planFeature.${f}`)} />
          ))}
        </Stack>
      </Checkbox.Group>
      {plan && (
        <Alert color="blue" variant="light">
          {t('provider.planEditWarning', { count: plan.tenants ?? 0 })}
        </Alert>
      )}
    </MutationForm>
  );
}

export function PlansPage() {
  const { t } = useI18n();
  const { client } = useSession();
  const plans = useQuery({ queryKey: PLANS_QUERY_KEY, queryFn: () => client.plans.list() });
  /** `null`: a new plan; a plan: that plan's edit; undefined: no form open. */
  const [editing, setEditing] = useState<Plan | null | undefined>(undefined);
  return (
    <>
      <PageHeader
        title={t('provider.plans')}
        description={t('provider.plansDescription')}
        actions={<Button onClick={() => setEditing(null)}>{t('provider.newPlan')}</Button>}
      />
      <QueryState query={plans} what={t('provider.plans')}>
        {(page) => (
          <Table withTableBorder striped aria-label={t('provider.plans')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('provider.planName')}</Table.Th>
                <Table.Th>{t('provider.planKey')}</Table.Th>
                <Table.Th>{t('provider.planFeatures')}</Table.Th>
                <Table.Th>{t('provider.planTenants')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((p) => (
                <Table.Tr key={p.key} data-testid={`plan-${p.key}`}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Text fw={500} style={{ overflowWrap: 'anywhere' }}>
                        {planLabel(t, p.key, page.items)}
                      </Text>
                      {p.builtin && (
                        <Badge variant="light" color="gray" title={t('provider.builtinHelp')}>
                          {t('provider.builtin')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <code>{p.key}</code>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {p.features.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          {t('provider.planNoFeatures')}
                        </Text>
                      ) : (
                        p.features.map((f) => (
                          <Badge key={f} variant="outline" size="sm">
                            {t(`planFeature.${f}`)}
                          </Badge>
                        ))
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{p.tenants ?? 0}</Table.Td>
                  <Table.Td>
                    {!p.builtin && (
                      <Button size="xs" variant="light" onClick={() => setEditing(p)}>
                        {t('common.edit')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <Modal
        opened={editing !== undefined}
        onClose={() => setEditing(undefined)}
        title={editing ? t('provider.editPlan') : t('provider.newPlan')}
      >
        {editing !== undefined && (
          <PlanForm key={editing?.key ?? 'new'} plan={editing} onDone={() => setEditing(undefined)} />
        )}
      </Modal>
    </>
  );
}
