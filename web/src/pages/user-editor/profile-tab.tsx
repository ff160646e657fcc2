/**
 * Profile (seed 003): none, a tenant profile, a custom module x action matrix, or superuser. Billable
 * content the profile bundles is shown with the supervisor level it needs (G15).
 */
import { Alert, Radio, Select, Stack, Text } from '@mantine/core';
import { CapabilityMatrix } from '../../components/capability-matrix.js';
import { DisabledReason, reasonId } from '../../components/disabled-reason.js';
import { useI18n } from '../../i18n/index.js';
import { grantableBy } from '../../lib/capability-matrix.js';
import { describeBlock } from '../../lib/problem-message.js';
import type { TabProps } from './editor-kit.js';

export function ProfileTab({ draft, update, state, lookups, ctx, contentLevels }: TabProps) {
  const tr = useI18n();
  const { t, has } = tr;
  const su = state('profile.superuser');
  const kind = draft.profile.kind;
  const grantable = grantableBy(ctx.actor);
  const chosen = lookups.profiles.find((p) => p.id === draft.profile.profileId);
  // G15: what of the profile's billable content the user's supervisor level does not sell yet (the server's answer).
  const contentNote = (cap: string) => {
    const b = contentLevels.find((c) => c.capability === cap);
    return b ? describeBlock(b, tr) : null;
  };
  const capabilityLabel = (cap: string) => {
    const [m = '', a = ''] = cap.split(':');
    return `${has(`module.${m}`) ? t(`module.${m}`) : m} · ${has(`action.${a}`) ? t(`action.${a}`) : a}`;
  };
  return (
    <Stack maw={900}>
      <Text size="sm" c="dimmed">
        {t('profile.intro')}
      </Text>
      <Radio.Group
        name="profileKind"
        label={t('profile.kind')}
        value={kind}
        onChange={(v) =>
          update((u) => ({
            ...u,
            profile:
              v === 'custom'
                ? { kind: 'custom', grants: u.profile.grants ?? chosen?.grants ?? [] }
                : v === 'profile'
                  ? { kind: 'profile', profileId: u.profile.profileId ?? lookups.profiles[0]?.id ?? null }
                  : { kind: v as 'none' | 'superuser' },
          }))
        }
      >
        <Stack gap="xs" mt="xs">
          {(['none', 'profile', 'custom', 'superuser'] as const).map((k) => (
            <div key={k}>
              <Radio
                value={k}
                label={t(`profileKind.${k}`)}
                description={t(`profileKindHelp.${k}`)}
                disabled={k === 'superuser' && su.disabled}
                aria-describedby={k === 'superuser' && su.reasons.length ? reasonId('profile.superuser') : undefined}
              />
              {k === 'superuser' && (
                <div style={{ paddingLeft: 32 }}>
                  <DisabledReason state={su} id={reasonId('profile.superuser')} />
                </div>
              )}
            </div>
          ))}
        </Stack>
      </Radio.Group>
      {kind === 'profile' &&
        (lookups.profiles.length === 0 ? (
          <Alert color="gray">{t('profile.noProfiles')}</Alert>
        ) : (
          <>
            <Select
              label={t('profile.choose')}
              maw={360}
              allowDeselect={false}
              value={draft.profile.profileId ?? null}
              data={lookups.profiles.map((p) => ({ value: p.id, label: p.name }))}
              onChange={(v) => update((u) => ({ ...u, profile: { kind: 'profile', profileId: v } }))}
            />
            {chosen && (
              <CapabilityMatrix
                label={t('profile.matrixOf', { name: chosen.name })}
                value={chosen.grants}
                onChange={() => undefined}
                readOnly
                note={contentNote}
              />
            )}
          </>
        ))}
      {kind === 'custom' && (
        <CapabilityMatrix
          label={t('profile.customMatrix')}
          value={draft.profile.grants ?? []}
          grantable={grantable}
          note={contentNote}
          onChange={(grants) => update((u) => ({ ...u, profile: { kind: 'custom', grants } }))}
        />
      )}
      {contentLevels.length > 0 && (
        <Alert color="yellow" variant="light" title={t('profile.contentLevels')} data-testid="content-levels">
          <Stack gap={2}>
            {contentLevels.map((b) => (
              <Text key={b.capability} size="sm" data-testid="content-level">
                {capabilityLabel(b.capability)}: {describeBlock(b, tr)}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {kind !== 'none' && (
        <Text size="xs" c="dimmed">
          {t('profile.a2')}
        </Text>
      )}
    </Stack>
  );
}
