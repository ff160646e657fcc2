/** Provider: a tenant's platform tokens (I6): listed with last use, issued (shown once) and revoked. */
import { useState } from 'react';
import { Alert, Button, Card, Code, Group, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PlatformToken } from '../../../../client/index.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { EmptyTableRow } from '../../components/empty-table-row.js';

export function PlatformTokensCard({ tenantId }: { tenantId: string }) {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const queryClient = useQueryClient();
  const queryKey = ['platform-tokens', tenantId] as const;
  const tokens = useQuery({ queryKey, queryFn: () => client.tenants.platformTokens(tenantId) });
  const [name, setName] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<PlatformToken | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey });
  const create = useMutation({
    mutationFn: () => client.tenants.createPlatformToken(tenantId, name.trim() || undefined),
    onSuccess: async (r) => {
      setShown(r.token);
      setName('');
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => client.tenants.revokePlatformToken(tenantId, id),
    onSuccess: async () => {
      setRevoking(null);
      await refresh();
    },
  });
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(lang) : t('provider.never'));
  const label = (x: PlatformToken) => x.name ?? t('provider.unnamed');
  return (
    <Card withBorder data-testid="platform-tokens">
      <Title order={2} size="h4">
        {t('provider.tokens')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('provider.tokensHelp')}
      </Text>
      {tokens.error ? <ProblemAlert error={tokens.error} /> : null}
      <Table aria-label={t('provider.tokens')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('provider.tokenName')}</Table.Th>
            <Table.Th>{t('provider.tokenCreated')}</Table.Th>
            <Table.Th>{t('provider.tokenLastUsed')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(tokens.data?.items ?? []).map((x) => (
            <Table.Tr key={x.id}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{label(x)}</Table.Td>
              <Table.Td>{when(x.createdAt)}</Table.Td>
              <Table.Td>
                {when(x.lastUsedAt)}
                {x.lastUsedAddr ? ` · ${x.lastUsedAddr}` : ''}
              </Table.Td>
              <Table.Td>
                <Button size="xs" color="red" variant="subtle" onClick={() => setRevoking(x)}>
                  {t('provider.revoke')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
          {tokens.data?.items.length === 0 && <EmptyTableRow columns={4}>{t('provider.noTokens')}</EmptyTableRow>}
        </Table.Tbody>
      </Table>
      <Group mt="sm" align="flex-end">
        <TextInput
          label={t('provider.tokenName')}
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Button variant="default" onClick={() => create.mutate()} loading={create.isPending}>
          {t('provider.platformToken')}
        </Button>
      </Group>
      {create.error ? <ProblemAlert error={create.error} /> : null}
      {shown && (
        <Alert color="teal" title={t('tokens.shownOnce')} mt="sm" withCloseButton onClose={() => setShown(null)}>
          <Code style={{ overflowWrap: 'anywhere' }}>{shown}</Code>
        </Alert>
      )}
      <ConfirmDialog
        opened={revoking !== null}
        title={t('provider.revoke')}
        text={revoking ? t('provider.revokeConfirm', { name: label(revoking) }) : ''}
        action={t('provider.revoke')}
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onClose={() => setRevoking(null)}
      />
    </Card>
  );
}
