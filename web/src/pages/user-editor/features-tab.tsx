/** Features (seed 004): channels, recording (G8, G9), CRM overlay, dial restriction with a region picker (F3). */
import { Alert, Radio, Stack, Text, Title } from '@mantine/core';
import { DisabledReason, reasonId } from '../../components/disabled-reason.js';
import { RegionPicker } from '../../components/region-picker.js';
import { useI18n } from '../../i18n/index.js';
import { GuardedToggle, type TabProps } from './editor-kit.js';

const CHANNELS = ['both', 'calls', 'sms', 'none'] as const;

export function FeaturesTab({
  draft,
  update,
  state,
  homeRegion,
  plan,
}: TabProps & { homeRegion: string | null; plan: string | null }) {
  const { t } = useI18n();
  const f = draft.features;
  const dial = state('features.dialRestriction');
  const setF = (fn: (x: typeof f) => typeof f) => update((u) => ({ ...u, features: fn(u.features) }));
  const pref = draft.preferences;
  return (
    <Stack maw={720}>
      {plan && (
        <Text size="sm" c="dimmed">
          {t('features.plan', { plan })}
        </Text>
      )}
      <Radio.Group
        name="channels"
        label={t('features.channels')}
        description={t('features.channelsHelp')}
        value={f.channels}
        onChange={(v) => setF((x) => ({ ...x, channels: v as typeof f.channels }))}
      >
        <Stack gap={6} mt="xs">
          {CHANNELS.map((c) => {
            const s = state(`channel:${c}`);
            return (
              <div key={c}>
                <Radio
                  value={c}
                  label={t(`channels.${c}`)}
                  disabled={s.disabled && f.channels !== c}
                  aria-describedby={s.reasons.length ? reasonId(`channel:${c}`) : undefined}
                />
                <div style={{ paddingLeft: 32 }}>
                  <DisabledReason state={s} id={reasonId(`channel:${c}`)} />
                </div>
              </div>
            );
          })}
        </Stack>
      </Radio.Group>
      <GuardedToggle
        id="features.recording"
        kind="switch"
        label={t('features.recording')}
        description={t('features.recordingHelp')}
        checked={f.recording}
        state={state('features.recording')}
        onChange={(on) => setF((x) => ({ ...x, recording: on }))}
      />
      {pref && !pref.recording && f.recording && (
        <Alert color="yellow" variant="light">
          {t('features.prefOff.recording')}
        </Alert>
      )}
      <GuardedToggle
        id="features.crmOverlay"
        kind="switch"
        label={t('features.crmOverlay')}
        description={t('features.crmOverlayHelp')}
        checked={f.crmOverlay}
        state={state('features.crmOverlay')}
        onChange={(on) => setF((x) => ({ ...x, crmOverlay: on }))}
      />
      {pref && !pref.crmOverlay && f.crmOverlay && (
        <Alert color="yellow" variant="light">
          {t('features.prefOff.crmOverlay')}
        </Alert>
      )}
      <Title order={2} size="h4" mt="sm">
        {t('features.dialRestriction')}
      </Title>
      <GuardedToggle
        id="features.dialRestriction"
        kind="switch"
        label={t('features.dialRestrictionEnable')}
        description={t('features.dialRestrictionHelp')}
        checked={f.dialRestriction.enabled}
        state={dial}
        onChange={(on) => setF((x) => ({ ...x, dialRestriction: { ...x.dialRestriction, enabled: on } }))}
      />
      {f.dialRestriction.enabled && (
        <RegionPicker
          value={f.dialRestriction.allowedRegions}
          homeRegion={homeRegion}
          disabled={dial.disabled}
          onChange={(allowedRegions) =>
            setF((x) => ({ ...x, dialRestriction: { ...x.dialRestriction, allowedRegions } }))
          }
        />
      )}
      <Text size="xs" c="dimmed">
        {t('features.prefNote')}
      </Text>
    </Stack>
  );
}
