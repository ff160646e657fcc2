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
import { qk, useActor, useTenant } from '../api/hooks.js';
import { useI18n } from '../i18n/index.js';
import { actorCan } from '../lib/actor.js';
import { useSession } from '../session.js';
import { LanguageSelect } from './public-form-card.js';

interface NavItem {
  to: string;
  label: string;
  needs?: string;
}

function useNavItems(): { tenant: NavItem[]; provider: NavItem[] } {
  const { t } = useI18n();
  return {
    tenant: [
      { to: '/users', label: t('nav.users') },
      { to: '/queues', label: t('nav.queues') },
      { to: '/groups', label: t('nav.groups') },
      { to: '/workspaces', label: t('nav.workspaces') },
      { to: '/profiles', label: t('nav.profiles') },
      { to: '/role-permissions', label: t('nav.rolePermissions') },
      { to: '/usage', label: t('nav.usage') },
      { to: '/audit', label: t('nav.audit') },
      { to: '/sessions', label: t('nav.sessions') },
      { to: '/api-tokens', label: t('nav.apiTokens') },
      { to: '/settings', label: t('nav.settings') },
      { to: '/live', label: t('nav.live') },
    ],
    provider: [{ to: '/provider/tenants', label: t('nav.tenants') }],
  };
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
  const { actor } = useActor();
  const location = useLocation();
  const items = useNavItems();
  const provider = session?.kind === 'provider';
  const link = (item: NavItem) => (
    <NavLink
      key={item.to}
      component={RouterLink}
      to={item.to}
      label={item.label}
      onClick={close}
      active={location.pathname === item.to || location.pathname.startsWith(`${item.to}/`)}
      disabled={!!item.needs && !actorCan(actor, item.needs)}
    />
  );

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
              {items.tenant.map(link)}
            </>
          ) : null}
          {provider && (
            <>
              <Text size="xs" fw={600} c="dimmed" px="sm" pt="md" pb={4} tt="uppercase">
                {tr.t('nav.providerSection')}
              </Text>
              {items.provider.map(link)}
            </>
          )}
          <Group gap="xs" p="sm" hiddenFrom="sm" data-testid="menu-preferences">
            <LanguageSelect />
            <ColorSchemeToggle />
          </Group>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
