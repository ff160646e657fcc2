/** A tenant's OIDC identity providers (I2): listed, added, edited and removed (provider or settings:edit). */
import { useState } from 'react';
import { Button, Card, Code, Group, Modal, PasswordInput, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OidcIssuerRecord } from '../../../../client/index.js';
import { MutationForm } from '../../components/mutation-form.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { ConfirmDialog } from './confirm-dialog.js';

function IssuerForm({
  tenantId,
  issuer,
  onDone,
}: {
  tenantId: string;
  issuer: OidcIssuerRecord | null;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [name, setName] = useState(issuer?.name ?? '');
  const [url, setUrl] = useState(issuer?.issuer ?? '');
  const [clientId, setClientId] = useState(issuer?.clientId ?? '');
  const [secret, setSecret] = useState('');
  const save = useMutation({
    mutationFn: () => {
      const body = { name, issuer: url, clientId, ...(secret && { clientSecret: secret }) };
      return issuer
        ? client.tenants.updateOidcIssuer(tenantId, issuer.id, body)
        : client.tenants.createOidcIssuer(tenantId, body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['oidc-issuers', tenantId] });
      onDone();
    },
  });
  return (
    <MutationForm mutation={save} submitLabel={issuer ? t('common.save') : t('common.create')} onCancel={onDone}>
      <TextInput
        label={t('provider.planName')}
        required
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
      />
      <TextInput
        label={t('provider.oidcIssuer')}
        required
        type="url"
        placeholder="https://login.example.com"
        value={url}
        onChange={(e) => setUrl(e.currentTarget.value)}
      />
      <TextInput
        label={t('provider.oidcClientId')}
        required
        value={clientId}
        onChange={(e) => setClientId(e.currentTarget.value)}
      />
      <PasswordInput
        label={t('provider.oidcClientSecret')}
        description={issuer?.hasClientSecret ? t('provider.oidcSecretKept') : undefined}
        value={secret}
        onChange={(e) => setSecret(e.currentTarget.value)}
      />
    </MutationForm>
  );
}

export function OidcIssuersCard({ tenantId }: { tenantId: string }) {
  const { t } = useI18n();
  const { client } = useSession();
  const queryClient = useQueryClient();
  const queryKey = ['oidc-issuers', tenantId] as const;
  const issuers = useQuery({ queryKey, queryFn: () => client.tenants.oidcIssuers(tenantId) });
  /** `null`: a new issuer; an issuer: its edit; undefined: no form open. */
  const [editing, setEditing] = useState<OidcIssuerRecord | null | undefined>(undefined);
  const [removing, setRemoving] = useState<OidcIssuerRecord | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => client.tenants.removeOidcIssuer(tenantId, id),
    onSuccess: async () => {
      setRemoving(null);
      await queryClient.invalidateQueries({ queryKey });
    },
  });
  const redirect = `${window.location.origin}/v1/auth/oidc/callback`;
  return (
    <Card withBorder data-testid="oidc-issuers">
      <Title order={2} size="h4">
        {t('provider.oidc')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm" style={{ overflowWrap: 'anywhere' }}>
        {t('provider.oidcHelp', { url: redirect })}
      </Text>
      {issuers.error ? <ProblemAlert error={issuers.error} /> : null}
      <Table aria-label={t('provider.oidc')}>
        <Table.Tbody>
          {(issuers.data?.items ?? []).map((x) => (
            <Table.Tr key={x.id}>
              <Table.Td fw={500}>{x.name}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                <Code>{x.issuer}</Code>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => setEditing(x)}>
                    {t('common.edit')}
                  </Button>
                  <Button size="xs" color="red" variant="subtle" onClick={() => setRemoving(x)}>
                    {t('common.delete')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
          {issuers.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {t('provider.noIssuers')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Group mt="sm">
        <Button variant="default" onClick={() => setEditing(null)}>
          {t('provider.oidcAdd')}
        </Button>
      </Group>
      <Modal
        opened={editing !== undefined}
        onClose={() => setEditing(undefined)}
        title={editing ? t('provider.oidcEdit') : t('provider.oidcAdd')}
      >
        {editing !== undefined && (
          <IssuerForm
            key={editing?.id ?? 'new'}
            tenantId={tenantId}
            issuer={editing}
            onDone={() => setEditing(undefined)}
          />
        )}
      </Modal>
      <ConfirmDialog
        opened={removing !== null}
        title={t('common.delete')}
        text={removing ? t('provider.oidcRemoveConfirm', { name: removing.name }) : ''}
        action={t('common.delete')}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing.id)}
        onClose={() => setRemoving(null)}
      />
    </Card>
  );
}
