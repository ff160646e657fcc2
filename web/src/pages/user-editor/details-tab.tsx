/** Details: name, email, status, password (manual users); extension and devices read-only for platform users. */
import { Badge, Button, Group, PasswordInput, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { DisabledReason, reasonId } from '../../components/disabled-reason.js';
import { useI18n } from '../../i18n/index.js';
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
