/** Details: name, email, status, password (manual users); extension and devices read-only for platform users. */
import { Badge, Button, Group, PasswordInput, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '../../../../client/index.js';
import { useTenantId } from '../../api/hooks.js';
import { DisabledReason, reasonId } from '../../components/disabled-reason.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { useI18n } from '../../i18n/index.js';
import { formatDateTime } from '../../lib/format.js';
import { useSession } from '../../session.js';
import type { TabProps } from './editor-kit.js';

export function DetailsTab({
  draft,
  update,
  state,
  creating,
  password,
  setPassword,
}: TabProps & { password: string; setPassword: (p: string) => void }) {
  const { t } = useI18n();
  const ro = state('extension');
  return (
    <Stack maw={560}>
      <Group gap="xs">
        <Badge variant="light" color={draft.source === 'platform' ? 'blue' : 'gray'}>
          {t(`source.${draft.source}`)}
        </Badge>
        {draft.externalId && (
          <Text size="xs" c="dimmed">
            {t('details.externalId')}: {draft.externalId}
          </Text>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t(`details.sourceHelp.${draft.source}`)}
      </Text>
      <TextInput
        label={t('details.displayName')}
        description={t('details.displayNameHelp')}
        required
        value={draft.displayName}
        onChange={(e) => {
          const v = e.currentTarget.value;
          update((u) => ({ ...u, displayName: v }));
        }}
      />
      {draft.phoneSystem && draft.displayName !== draft.phoneSystem.displayName && (
        <PhoneSystemValue
          value={draft.phoneSystem.displayName}
          onUse={(v) => update((u) => ({ ...u, displayName: v ?? '' }))}
        />
      )}
      <TextInput
        label={t('details.email')}
        description={t('details.emailHelp')}
        // Not type="email": browsers refuse internationalised addresses (RFC 6531) the server accepts.
        type="text"
        inputMode="email"
        spellCheck={false}
        value={draft.email ?? ''}
        onChange={(e) => {
          const v = e.currentTarget.value;
          update((u) => ({ ...u, email: v || null }));
        }}
      />
      {draft.phoneSystem && draft.email !== draft.phoneSystem.email && (
        <PhoneSystemValue value={draft.phoneSystem.email} onUse={(v) => update((u) => ({ ...u, email: v }))} />
      )}
      {!creating && draft.status !== 'removed' && (
        <div>
          <Text size="sm" fw={500} id="status-label">
            {t('details.status')}
          </Text>
          <SegmentedControl
            aria-labelledby="status-label"
            value={draft.status}
            disabled={state('status').disabled}
            data={[
              { value: 'active', label: t('status.active') },
              { value: 'suspended', label: t('status.suspended') },
            ]}
            onChange={(v) => update((u) => ({ ...u, status: v as 'active' | 'suspended' }))}
          />
          <Text size="xs" c="dimmed" mt={4}>
            {t('details.statusHelp')}
          </Text>
        </div>
      )}
      {draft.status === 'removed' && (
        <Text size="sm" c="dimmed">
          {t('details.removed')}
        </Text>
      )}
      {draft.source === 'manual' && (
        <PasswordInput
          label={creating ? t('details.password') : t('details.newPassword')}
          description={t('details.passwordHelp')}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
      )}
      {!creating && draft.status !== 'removed' && <InvitationPanel user={draft} />}
      {draft.source === 'platform' && (
        <>
          <TextInput
            label={t('details.extension')}
            value={draft.extension ?? ''}
            readOnly
            disabled
            aria-describedby={reasonId('extension')}
          />
          <DisabledReason state={ro} id={reasonId('extension')} />
          <Text size="sm" fw={500}>
            {t('details.devices')}
          </Text>
          {draft.devices?.length ? (
            <Table withTableBorder aria-label={t('details.devices')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('details.deviceName')}</Table.Th>
                  <Table.Th>{t('details.deviceKind')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {draft.devices.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>{d.name}</Table.Td>
                    <Table.Td>{d.kind === 'webrtc' ? 'WebRTC' : 'SIP'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="sm" c="dimmed">
              {t('details.noDevices')}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}

/**
 * P4: a platform user's name and email are the phone system's unless changed here; beside a value
 * that differs, the phone system's, and a way back to it (saving it ends the override).
 */
function PhoneSystemValue({ value, onUse }: { value: string | null; onUse: (value: string | null) => void }) {
  const { t } = useI18n();
  return (
    <Group gap="xs" mt={-8} data-testid="phone-system-value">
      <Text size="xs" c="dimmed">
        {value === null ? t('details.phoneSystemNoEmail') : t('details.phoneSystemValue', { value })}
      </Text>
      <Button size="compact-xs" variant="subtle" onClick={() => onUse(value)}>
        {t('details.usePhoneSystemValue')}
      </Button>
    </Group>
  );
}

/** I3: where the user's invitation stands, and Send / Resend (a new link replaces the old one). */
function InvitationPanel({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId()!;
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const key = ['invitation', tenantId, user.id];
  const state = useQuery({ queryKey: key, queryFn: () => client.auth.invitation(tenantId, user.id) });
  if (!user.email || !state.data) return null;
  const s = state.data;
  async function send() {
    setError(null);
    try {
      await client.auth.invite(tenantId, user.id);
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (e) {
      setError(e);
    }
  }
  const when = s.status === 'accepted' ? s.acceptedAt : s.status === 'none' ? null : s.expiresAt;
  return (
    <Stack gap={4} data-testid="invitation">
      <Group gap="xs">
        <Text size="sm" fw={500}>
          {t('invitation.title')}
        </Text>
        <Badge variant="light" color={s.status === 'accepted' ? 'teal' : s.status === 'expired' ? 'orange' : 'gray'}>
          {t(`invitation.status.${s.status}`)}
        </Badge>
        {when && (
          <Text size="xs" c="dimmed">
            {t(`invitation.when.${s.status}`, { when: formatDateTime(when, lang) })}
          </Text>
        )}
      </Group>
      {error ? <ProblemAlert error={error} onClose={() => setError(null)} /> : null}
      {s.status !== 'accepted' && (
        <Group>
          <Button size="xs" variant="default" onClick={() => void send()}>
            {s.status === 'none' ? t('invitation.send') : t('invitation.resend')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
