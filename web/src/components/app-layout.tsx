/** The frame of every signed-in screen: header, left navigation (tenant and provider screens), content. */
import {
  ActionIcon,
  Anchor,
  AppShell,
  Badge,
  Burger,
  Group,
  NavLink,
  ScrollArea,
  Select,
  Text,
  Tooltip,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { NavLink as RouterLink, Outlet, useLocation, useNavigate } from 'react-router';
import { NotAllowed } from './not-available.js';
import { qk, useActor, useTenant } from '../api/hooks.js';
import { useI18n } from '../i18n/index.js';
import { actorMeets, type Needs } from '../lib/actor.js';
import { ANY_CALL_DATA_CAPABILITY } from '../pages/call-data/screen-access.js';
import { useSession } from '../session.js';
import { LanguageSelect } from './public-form-card.js';

/**
 * A navigation item. `needs` is what opening the screen takes (one capability, any of several, or a
 * predicate over the signed-in actor's powers, from their own configuration `/v1/me/config`): the
 * item is hidden from an actor who lacks it, and opening its path directly says so instead of
 * failing on the first request. Give every new item the capabilities its endpoints require.
 */
interface NavItem {
  to: string;
  label: string;
  needs?: Needs;
}

/** Reading the tenant's whole record (settings, plan): the server's TENANT_RECORD_READERS. */
const TENANT_READERS = ['settings:view', 'settings:edit', 'billing:edit', 'users:view', 'users:edit', 'cc:admin'];

function useNavItems(): { tenant: NavItem[]; provider: NavItem[] } {
  const { t } = useI18n();
  return {
    tenant: [
      { to: '/users', label: t('nav.users'), needs: ['users:view', 'users:edit'] },
      { to: '/queues', label: t('nav.queues'), needs: ['queues:view', 'cc:admin', 'users:edit'] },
      { to: '/groups', label: t('nav.groups'), needs: ['groups:view', 'users:edit'] },
      { to: '/workspaces', label: t('nav.workspaces'), needs: ['workspaces:view', 'users:edit'] },
      { to: '/profiles', label: t('nav.profiles'), needs: ['profiles:view', 'profiles:edit', 'users:edit'] },
      { to: '/role-permissions', label: t('nav.rolePermissions'), needs: 'cc:admin' },
      { to: '/usage', label: t('nav.usage'), needs: 'billing:edit' },
      { to: '/audit', label: t('nav.audit'), needs: ['users:view', 'settings:view'] },
      { to: '/sessions', label: t('nav.sessions'), needs: ['users:view', 'users:edit'] },
      {
        to: '/api-tokens',
        label: t('nav.apiTokens'),
        needs: ['api_tokens:view', 'api_tokens:create', 'api_tokens:delete'],
      },
      { to: '/webhooks', label: t('webhooks.nav'), needs: 'webhooks:view' },
      { to: '/settings', label: t('nav.settings'), needs: TENANT_READERS },
      // Call data (CD3, CD4): shown to whoever holds any of it; a screen above the user's level opens greyed
      // with the rule (G15), so the level that would open it is visible.
      { to: '/reports', label: t('callData.nav.reports'), needs: ANY_CALL_DATA_CAPABILITY },
      { to: '/dashboard', label: t('callData.nav.dashboard'), needs: ANY_CALL_DATA_CAPABILITY },
      { to: '/wallboard', label: t('callData.nav.wallboard'), needs: ANY_CALL_DATA_CAPABILITY },
      { to: '/live-statistics', label: t('callData.nav.liveStatistics'), needs: ANY_CALL_DATA_CAPABILITY },
      { to: '/recordings', label: t('callData.nav.recordings'), needs: ANY_CALL_DATA_CAPABILITY },
      // Every signed-in user may watch their own app's configuration (I5: self needs no capability).
      { to: '/live', label: t('nav.live') },
    ],
    provider: [
      { to: '/provider/tenants', label: t('nav.tenants'), needs: (a) => a.provider },
      { to: '/provider/plans', label: t('provider.plans'), needs: (a) => a.provider },
    ],
  };
}

const openedBy = (item: NavItem, path: string) => path === item.to || path.startsWith(`${item.to}/`);

/** The first screen the actor may open (where `/` leads), or the live app view, which anyone may. */
export function useHomePath(): string | null {
  const { actor, loading } = useActor();
  const items = useNavItems();
  if (loading) return null;
  return items.tenant.find((i) => actorMeets(actor, i.needs))?.to ?? '/live';
}

function ColorSchemeToggle() {
  const { t } = useI18n();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const dark = colorScheme === 'dark';
  return (
    <Tooltip label={dark ? t('header.lightMode') : t('header.darkMode')}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={dark ? t('header.lightMode') : t('header.darkMode')}
        onClick={() => setColorScheme(dark ? 'light' : 'dark')}
      >
        <span aria-hidden>{dark ? '☀' : '☾'}</span>
      </ActionIcon>
    </Tooltip>
  );
}

function TenantSwitcher() {
  const { t } = useI18n();
  const { client, session, setTenant } = useSession();
  const navigate = useNavigate();
  const tenants = useQuery({
    queryKey: qk.tenants(),
    queryFn: () => client.tenants.list({ limit: 200 }),
    enabled: session?.kind === 'provider',
  });
  const data = (tenants.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }));
  return (
    <Select
      size="xs"
      w={{ base: 140, sm: 200 }}
      aria-label={t('header.tenant')}
      placeholder={t('header.pickTenant')}
      data={data}
      value={session?.tenantId ?? null}
      searchable
      onChange={(v) => {
        setTenant(v);
        void navigate('/users');
      }}
    />
  );
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const tr = useI18n();
  const { session, signOut } = useSession();
  const tenant = useTenant();
  const { actor, loading } = useActor();
  const location = useLocation();
  const items = useNavItems();
  const provider = session?.kind === 'provider';
  // Until the actor's configuration is loaded, gated items stay hidden (no flash of forbidden items).
  const may = (item: NavItem) => !loading && actorMeets(actor, item.needs);
  const link = (item: NavItem) => (
    <NavLink
      key={item.to}
      component={RouterLink}
      to={item.to}
      label={item.label}
      onClick={close}
      active={openedBy(item, location.pathname)}
    />
  );
  const current = [...items.tenant, ...items.provider].find((i) => openedBy(i, location.pathname));
  const refused = !!current && !loading && !actorMeets(actor, current.needs);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <Anchor
        href="#main"
        className="skip-link"
        style={{ position: 'absolute', left: -9999 }}
        onFocus={(e) => {
          e.currentTarget.style.left = '8px';
        }}
        onBlur={(e) => {
          e.currentTarget.style.left = '-9999px';
        }}
      >
        {tr.t('nav.skip')}
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={tr.t('nav.toggle')} />
            <Text fw={700} size="lg">
              Switchboard
            </Text>
            {provider ? (
              <Badge variant="light" color="grape" visibleFrom="sm">
                {tr.t('header.provider')}
              </Badge>
            ) : null}
            {provider ? (
              <TenantSwitcher />
            ) : (
              tenant.data && (
                <Text c="dimmed" size="sm" visibleFrom="xs">
                  {tenant.data.name}
                </Text>
              )
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            {/* On a phone, language and colour scheme move into the menu (below), so the header fits. */}
            <Group gap="xs" wrap="nowrap" visibleFrom="sm">
              <LanguageSelect />
              <ColorSchemeToggle />
            </Group>
            <Tooltip label={tr.t('header.signOut')}>
              <ActionIcon
                variant="default"
                size="lg"
                aria-label={tr.t('header.signOut')}
                onClick={() => void signOut()}
              >
                <span aria-hidden>⎋</span>
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={tr.t('nav.label')}>
        <ScrollArea type="never">
          {session?.tenantId ? (
            <>
              <Text size="xs" fw={600} c="dimmed" px="sm" pt="xs" pb={4} tt="uppercase">
                {tr.t('nav.tenantSection')}
              </Text>
              {items.tenant.filter(may).map(link)}
            </>
          ) : null}
          {provider && (
            <>
              <Text size="xs" fw={600} c="dimmed" px="sm" pt="md" pb={4} tt="uppercase">
                {tr.t('nav.providerSection')}
              </Text>
              {items.provider.filter(may).map(link)}
            </>
          )}
          <Group gap="xs" p="sm" hiddenFrom="sm" data-testid="menu-preferences">
            <LanguageSelect />
            <ColorSchemeToggle />
          </Group>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main">{refused ? <NotAllowed /> : <Outlet />}</AppShell.Main>
    </AppShell>
  );
}
