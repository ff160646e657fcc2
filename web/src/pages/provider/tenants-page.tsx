/** Provider: every tenant, with plan, seats and policy; create a tenant. */
import { useState } from 'react';
import { Anchor, Badge, Button, Group, Modal, NumberInput, Select, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { REGION_CODES } from '../../../../src/contract/index.js';
import { qk } from '../../api/hooks.js';
import { downloadWithTicket } from '../../api/ticket-link.js';
import { PageHeader } from '../../components/page-header.js';
import { MutationForm } from '../../components/mutation-form.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { regionName } from '../../lib/regions.js';
import { useSession } from '../../session.js';
import { PLANS_QUERY_KEY, planLabel } from './plan-label.js';
import { EmptyTableRow } from '../../components/empty-table-row.js';

export function TenantsPage() {
  const { t, lang } = useI18n();
  const { client, setTenant, session } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const tenants = useQuery({ queryKey: qk.tenants(), queryFn: () => client.tenants.list({ limit: 200 }) });
  const plans = useQuery({ queryKey: PLANS_QUERY_KEY, queryFn: () => client.plans.list() });
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [plan, setPlan] = useState('basic');
  const [homeRegion, setHomeRegion] = useState('DE');
  const [seats, setSeats] = useState<number | ''>('');
  const create = useMutation({
    mutationFn: () => client.tenants.create({ name, plan, homeRegion, seats: seats === '' ? null : seats }),
    onSuccess: async (x) => {
      setOpen(false);
      setName('');
      await queryClient.invalidateQueries({ queryKey: qk.tenants() });
      void navigate(`/provider/tenants/${x.id}`);
    },
  });
  // Every tenant's licences and seats as a spreadsheet, streamed by the browser through a one-link ticket.
  const usageCsv = useMutation({ mutationFn: () => downloadWithTicket(client, '/v1/usage?format=csv') });
  return (
    <>
      <PageHeader
        title={t('nav.tenants')}
        description={t('provider.description')}
        actions={
          <Group gap="xs">
            <Button
              variant="default"
              onClick={() => usageCsv.mutate()}
              loading={usageCsv.isPending}
              data-testid="usage-csv"
            >
              {t('provider.usageCsv')}
            </Button>
            <Button onClick={() => setOpen(true)}>{t('provider.newTenant')}</Button>
          </Group>
        }
      />
      {usageCsv.error && <ProblemAlert error={usageCsv.error} />}
      <QueryState query={tenants} what={t('nav.tenants')}>
        {(page) => (
          <Table withTableBorder striped highlightOnHover aria-label={t('nav.tenants')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('lists.name')}</Table.Th>
                <Table.Th>{t('tenant.plan')}</Table.Th>
                <Table.Th>{t('tenant.homeRegion')}</Table.Th>
                <Table.Th>{t('tenant.seats')}</Table.Th>
                <Table.Th>{t('tenant.agentPolicy')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((x) => (
                <Table.Tr key={x.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/provider/tenants/${x.id}`} fw={500}>
                      {x.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{planLabel(t, x.plan, plans.data?.items)}</Badge>
                    {x.status === 'suspended' && (
                      <Badge variant="light" color="red" ml={4}>
                        {t('provider.status.suspended')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{regionName(x.homeRegion, lang)}</Table.Td>
                  <Table.Td>{x.seats ?? t('usage.unlimited')}</Table.Td>
                  <Table.Td>{t(`policy.${x.policies?.agentAddOn ?? 'manual'}`)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant={session?.tenantId === x.id ? 'filled' : 'light'}
                      onClick={() => {
                        setTenant(x.id);
                        void navigate('/users');
                      }}
                    >
                      {t('provider.open')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
              {page.items.length === 0 && <EmptyTableRow columns={6}>{t('provider.none')}</EmptyTableRow>}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('provider.newTenant')}>
        <MutationForm mutation={create} submitLabel={t('common.create')} onCancel={() => setOpen(false)}>
          <TextInput label={t('lists.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select
            label={t('tenant.plan')}
            value={plan}
            allowDeselect={false}
            data={(plans.data?.items ?? [{ key: 'basic', name: 'basic' }]).map((p) => ({
              value: p.key,
              label: planLabel(t, p.key, plans.data?.items),
            }))}
            onChange={(v) => v && setPlan(v)}
          />
          <Select
            label={t('tenant.homeRegion')}
            value={homeRegion}
            searchable
            allowDeselect={false}
            data={REGION_CODES.map((c) => ({ value: c, label: `${regionName(c, lang)} (${c})` }))}
            onChange={(v) => v && setHomeRegion(v)}
          />
          <NumberInput
            label={t('tenant.seats')}
            description={t('provider.seatsHelp')}
            min={0}
            value={seats}
            onChange={(v) => setSeats(v === '' ? '' : Number(v))}
          />
        </MutationForm>
      </Modal>
    </>
  );
}
