/**
 * Profiles (seed 003): tenant-defined module x action bundles, edited as a matrix, with the count of holders.
 * Billable content cells say which supervisor level their holders need (G15).
 */
import { useEffect, useState } from 'react';
import { Badge, Button, Grid, Group, NavLink, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Profile } from '../../../client/index.js';
import { qk, useActor, useNamedList, useTenantId } from '../api/hooks.js';
import { CapabilityMatrix } from '../components/capability-matrix.js';
import { GatedButton } from '../components/gated-button.js';
import { PageHeader } from '../components/page-header.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { QueryState } from '../components/query-state.js';
import { useI18n } from '../i18n/index.js';
import { actorMeets } from '../lib/actor.js';
import { levelSelling } from '../../../src/contract/index.js';
import { grantableBy, type CapabilityId } from '../lib/capability-matrix.js';
import { useSession } from '../session.js';

function ProfileEditor({ profile, onSaved }: { profile: Profile | null; onSaved: (p: Profile | null) => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId()!;
  const queryClient = useQueryClient();
  const { actor } = useActor();
  const [name, setName] = useState(profile?.name ?? '');
  const [grants, setGrants] = useState<CapabilityId[]>(profile?.grants ?? []);
  useEffect(() => {
    setName(profile?.name ?? '');
    setGrants(profile?.grants ?? []);
  }, [profile]);
  // As the server requires (C7): editing needs profiles:edit; creating and deleting also take profiles:edit.
  const saveNeeds = profile ? ['profiles:edit'] : ['profiles:create', 'profiles:edit'];
  const canEdit = actorMeets(actor, saveNeeds);
  const done = async (p: Profile | null) => {
    await queryClient.invalidateQueries({ queryKey: qk.list(tenantId, 'profiles') });
    onSaved(p);
  };
  const save = useMutation({
    mutationFn: () =>
      profile
        ? client.profiles.update(tenantId, profile.id, { name, grants }, profile.version)
        : client.profiles.create(tenantId, { name, grants }),
    onSuccess: (p) => done(p),
  });
  const remove = useMutation({
    mutationFn: () => client.profiles.remove(tenantId, profile!.id),
    onSuccess: () => done(null),
  });
  const dirty =
    !profile ||
    name !== profile.name ||
    JSON.stringify([...grants].sort()) !== JSON.stringify([...profile.grants].sort());
  return (
    <Stack>
      {save.error ? <ProblemAlert error={save.error} onReload={() => void done(profile)} /> : null}
      {remove.error ? <ProblemAlert error={remove.error} onClose={() => remove.reset()} /> : null}
      <Group align="flex-end">
        <TextInput
          label={t('lists.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          w={320}
          disabled={!canEdit}
        />
        {profile && (
          <Badge size="lg" variant="light" data-testid="profile-holders">
            {t('profiles.holders', { count: profile.holders })}
          </Badge>
        )}
      </Group>
      <CapabilityMatrix
        label={t('profiles.matrixLabel', { name: name || t('profiles.new') })}
        value={grants}
        onChange={setGrants}
        readOnly={!canEdit}
        grantable={grantableBy(actor)}
        note={(cap) => {
          const level = levelSelling(cap);
          return level ? t('block.supervisor_level_required', { level: t(`supervisorLevel.${level}`) }) : null;
        }}
      />
      <Text size="xs" c="dimmed" data-testid="profiles-content-note">
        {t('profiles.contentNote')}
      </Text>
      <Group justify="space-between">
        {profile ? (
          <GatedButton
            needs={['profiles:delete', 'profiles:edit']}
            rule="C7"
            color="red"
            variant="subtle"
            onClick={() => {
              if (confirm(t('lists.confirmDelete', { name: profile.name }))) remove.mutate();
            }}
          >
            {t('common.delete')}
          </GatedButton>
        ) : (
          <span />
        )}
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t('profiles.count', { count: grants.length })}
          </Text>
          <GatedButton
            needs={saveNeeds}
            rule="C7"
            onClick={() => save.mutate()}
            loading={save.isPending}
            disabled={!dirty || !name.trim()}
          >
            {profile ? t('common.save') : t('profiles.create')}
          </GatedButton>
        </Group>
      </Group>
    </Stack>
  );
}

export function ProfilesPage() {
  const { t } = useI18n();
  const list = useNamedList('profiles');
  // A profile's id, 'new' while creating one, or null when none is open.
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title={t('nav.profiles')}
        description={t('profiles.description')}
        actions={<Button onClick={() => setSelected('new')}>{t('profiles.new')}</Button>}
      />
      <QueryState query={list} what={t('nav.profiles')}>
        {(profiles) => {
          const current = selected === 'new' ? null : (profiles.find((p) => p.id === selected) ?? profiles[0] ?? null);
          const creating = selected === 'new' || profiles.length === 0;
          return (
            <Grid>
              <Grid.Col span={{ base: 12, md: 3 }}>
                <Paper withBorder p={4} component="nav" aria-label={t('nav.profiles')}>
                  {profiles.map((p) => (
                    <NavLink
                      key={p.id}
                      label={p.name}
                      active={!creating && current?.id === p.id}
                      onClick={() => setSelected(p.id)}
                      rightSection={
                        <Badge size="xs" variant="light">
                          {p.holders}
                        </Badge>
                      }
                    />
                  ))}
                  {profiles.length === 0 && (
                    <Text size="sm" c="dimmed" p="sm">
                      {t('profiles.none')}
                    </Text>
                  )}
                </Paper>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 9 }}>
                <ProfileEditor profile={creating ? null : current} onSaved={(p) => setSelected(p?.id ?? null)} />
              </Grid.Col>
            </Grid>
          );
        }}
      </QueryState>
    </>
  );
}
