/** API tokens (I5): scopes within the creator's capabilities, the token shown once, revocation. */
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CAPABILITY_IDS, type Capability } from '../../../src/contract/index.js';
import { useActor, useTenantId } from '../api/hooks.js';
import { GatedButton } from '../components/gated-button.js';
import { PageHeader } from '../components/page-header.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { QueryState } from '../components/query-state.js';
import { useI18n } from '../i18n/index.js';
import { formatDateTime } from '../lib/format.js';
import { useSession } from '../session.js';
import { EmptyTableRow } from '../components/empty-table-row.js';

/** The "SCIM token" preset (P2): what an identity provider needs to provision users and groups (docs/scim.md). */
const SCIM_SCOPES: readonly Capability[] = [
  'users:view',
  'users:create',
  'users:edit',
  'users:delete',
  'groups:view',
  'groups:create',
  'groups:edit',
  'groups:delete',
  'billing:edit',
];

export function ApiTokensPage() {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const queryClient = useQueryClient();
  const { actor } = useActor();
  const key = ['api-tokens', tenantId];
  const tokens = useQuery({ queryKey: key, queryFn: () => client.apiTokens.list(tenantId), enabled: !!tenantId });
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [shown, setShown] = useState<string | null>(null);
  const [scim, setScim] = useState(false);
  const [shownScim, setShownScim] = useState(false);
  const scimUrl = `${window.location.origin}/v1/tenants/${tenantId}/scim/v2`;
  const create = useMutation({
    mutationFn: () => client.apiTokens.create(tenantId, { name, scopes }),
    onSuccess: async (r) => {
      setShown(r.token);
      setShownScim(scim);
      setCreating(false);
      setName('');
      setScopes([]);
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => client.apiTokens.revoke(tenantId, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const available = CAPABILITY_IDS.filter((c) => actor.provider || actor.capabilities.has(c));
  return (
    <>
      <PageHeader
        title={t('nav.apiTokens')}
        description={t('tokens.description')}
        actions={
          <Group gap="xs">
            <GatedButton
              needs="api_tokens:create"
              rule="I5"
              variant="light"
              data-testid="scim-preset"
              onClick={() => {
                setScim(true);
                setName(t('tokens.scimName'));
                setScopes(SCIM_SCOPES.filter((c) => (available as readonly string[]).includes(c)));
                setCreating(true);
              }}
            >
              {t('tokens.scimPreset')}
            </GatedButton>
            <GatedButton
              needs="api_tokens:create"
              rule="I5"
              onClick={() => {
                setScim(false);
                setCreating(true);
              }}
            >
              {t('tokens.new')}
            </GatedButton>
          </Group>
        }
      />
      {shown && (
        <Alert
          color="teal"
          title={t('tokens.shownOnce')}
          mb="md"
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setShown(null)}
          data-testid="token-once"
        >
          <Group gap="xs">
            <Code fz="sm" data-testid="token-value">
              {shown}
            </Code>
            <CopyButton value={shown}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? t('tokens.copied') : t('tokens.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          {shownScim && <ScimUrl url={scimUrl} />}
        </Alert>
      )}
      {revoke.error ? <ProblemAlert error={revoke.error} onClose={() => revoke.reset()} /> : null}
      <QueryState query={tokens} what={t('nav.apiTokens')}>
        {(page) => (
          <Table withTableBorder striped aria-label={t('nav.apiTokens')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('lists.name')}</Table.Th>
                <Table.Th>{t('tokens.scopes')}</Table.Th>
                <Table.Th>{t('tokens.created')}</Table.Th>
                <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((tok) => (
                <Table.Tr key={tok.id}>
                  <Table.Td fw={500}>{tok.name}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {tok.scopes.map((s) => (
                        <Badge key={s} size="xs" variant="outline">
                          {s}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDateTime(tok.createdAt, lang)}</Table.Td>
                  <Table.Td>{tok.lastUsedAt ? formatDateTime(tok.lastUsedAt, lang) : t('tokens.never')}</Table.Td>
                  <Table.Td>
                    <GatedButton
                      needs="api_tokens:delete"
                      rule="I5"
                      size="xs"
                      color="red"
                      variant="subtle"
                      onClick={() => {
                        if (confirm(t('tokens.confirmRevoke', { name: tok.name }))) revoke.mutate(tok.id);
                      }}
                    >
                      {t('tokens.revoke')}
                    </GatedButton>
                  </Table.Td>
                </Table.Tr>
              ))}
              {page.items.length === 0 && <EmptyTableRow columns={5}>{t('tokens.none')}</EmptyTableRow>}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('tokens.new')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Stack>
            {create.error ? <ProblemAlert error={create.error} /> : null}
            <TextInput label={t('lists.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            {scim && <ScimUrl url={scimUrl} />}
            <MultiSelect
              label={t('tokens.scopes')}
              description={t('tokens.scopesHelp')}
              data={available}
              value={scopes}
              onChange={setScopes}
              searchable
              required
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setCreating(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!name || scopes.length === 0}>
                {t('tokens.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** The Tenant URL to paste into Entra ID or Okta beside the token. */
function ScimUrl({ url }: { url: string }) {
  const { t } = useI18n();
  return (
    <Stack gap={4} mt="xs">
      <Text size="sm" fw={500}>
        {t('tokens.scimUrl')}
      </Text>
      <Group gap="xs">
        <Code fz="sm" data-testid="scim-url">
          {url}
        </Code>
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? t('tokens.copied') : t('tokens.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed">
        {t('tokens.scimHelp')}
      </Text>
    </Stack>
  );
}
