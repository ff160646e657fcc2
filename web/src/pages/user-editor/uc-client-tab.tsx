/** UC client (seed 000): desktop and CRM client, softphone with client choice and device picker (G3, G5). */
import { Select, Stack, Text, Title } from '@mantine/core';
import { DisabledReason, reasonId } from '../../components/disabled-reason.js';
import { useI18n } from '../../i18n/index.js';
import { GuardedToggle, toggleIn, type TabProps } from './editor-kit.js';

export function UcClientTab({ draft, update, state }: TabProps) {
  const { t } = useI18n();
  const sp = draft.ucClient.softphone;
  const device = state('softphone.device');
  const setSoftphone = (fn: (s: typeof sp) => typeof sp) =>
    update((u) => ({ ...u, ucClient: { ...u.ucClient, softphone: fn(u.ucClient.softphone) } }));
  return (
    <Stack maw={640}>
      <Text size="sm" c="dimmed">
        {t('uc.intro')}
      </Text>
      <GuardedToggle
        id="ucClient.desktop"
        kind="switch"
        label={t('uc.desktop')}
        description={t('uc.desktopHelp')}
        checked={draft.ucClient.desktop}
        state={state('ucClient.desktop')}
        onChange={(on) => update((u) => ({ ...u, ucClient: { ...u.ucClient, desktop: on } }))}
      />
      <Text size="sm">
        {t('uc.crm')}: <b>{(draft.licences as string[]).includes('crm') ? t('common.on') : t('common.off')}</b> ·{' '}
        <Text span size="xs" c="dimmed">
          {t('uc.crmHelp')}
        </Text>
      </Text>
      <Title order={2} size="h4" mt="sm">
        {t('uc.softphone')}
      </Title>
      <GuardedToggle
        id="ucClient.softphone"
        kind="switch"
        label={t('uc.softphoneEnable')}
        description={t('uc.softphoneHelp')}
        checked={sp.enabled}
        state={state('ucClient.softphone')}
        onChange={(on) =>
          setSoftphone((s) => ({ ...s, enabled: on, clients: on && s.clients.length === 0 ? ['desktop'] : s.clients }))
        }
      />
      {sp.enabled && (
        <>
          <Text size="sm" fw={500}>
            {t('uc.clients')}
          </Text>
          {(['desktop', 'mobile', 'crm'] as const).map((c) => (
            <GuardedToggle
              key={c}
              id={`softphone.client:${c}`}
              label={t(`softphoneClient.${c}`)}
              checked={sp.clients.includes(c)}
              state={state(`softphone.client:${c}`)}
              onChange={(on) => setSoftphone((s) => ({ ...s, clients: toggleIn(s.clients, c, on) }))}
            />
          ))}
          <Select
            label={t('uc.device')}
            description={t('uc.deviceHelp')}
            maw={360}
            value={sp.deviceId}
            clearable
            data={(draft.devices ?? []).map((d) => ({
              value: d.id,
              label: `${d.name} (${d.kind === 'webrtc' ? 'WebRTC' : 'SIP'})`,
            }))}
            disabled={device.disabled}
            aria-describedby={device.reasons.length ? reasonId('softphone.device') : undefined}
            onChange={(v) =>
              setSoftphone((s) => ({
                ...s,
                deviceId: v,
                clients:
                  v && draft.devices?.find((d) => d.id === v)?.kind !== 'webrtc'
                    ? s.clients.filter((c) => c !== 'crm')
                    : s.clients,
              }))
            }
          />
          <DisabledReason state={device} id={reasonId('softphone.device')} />
        </>
      )}
    </Stack>
  );
}
