/** The portal: providers (theme, queries, language, session) and code-split routes. */
import { lazy, Suspense, type ReactNode } from 'react';
import { Center, Loader, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { I18nProvider } from './i18n/index.js';
import { SessionProvider, useSession } from './session.js';
import { cssVariablesResolver, theme } from './theme.js';
import { retryUnlessClientError } from './api/hooks.js';
import { AppLayout, useHomePath } from './components/app-layout.js';

const page = (load: () => Promise<Record<string, unknown>>, name: string) =>
  lazy(async () => ({ default: (await load())[name] as React.ComponentType }));

const SignInPage = page(() => import('./pages/sign-in-page.js'), 'SignInPage');
const SignInLinkPage = page(() => import('./pages/sign-in-link-page.js'), 'SignInLinkPage');
const ResetPasswordPage = page(() => import('./pages/reset-password-page.js'), 'ResetPasswordPage');
const AcceptInvitationPage = page(() => import('./pages/reset-password-page.js'), 'AcceptInvitationPage');
const UsersPage = page(() => import('./pages/users-page.js'), 'UsersPage');
const UserEditorPage = page(() => import('./pages/user-editor/user-editor-page.js'), 'UserEditorPage');
const NewUserPage = page(() => import('./pages/user-editor/new-user-page.js'), 'NewUserPage');
const UsersImportPage = page(() => import('./pages/users-import-page.js'), 'UsersImportPage');
const QueuesPage = page(() => import('./pages/named-lists-pages.js'), 'QueuesPage');
const GroupsPage = page(() => import('./pages/named-lists-pages.js'), 'GroupsPage');
const WorkspacesPage = page(() => import('./pages/named-lists-pages.js'), 'WorkspacesPage');
const ProfilesPage = page(() => import('./pages/profiles-page.js'), 'ProfilesPage');
const RolePermissionsPage = page(() => import('./pages/role-permissions-page.js'), 'RolePermissionsPage');
const UsagePage = page(() => import('./pages/usage-page.js'), 'UsagePage');
const AuditPage = page(() => import('./pages/audit-page.js'), 'AuditPage');
const SessionsPage = page(() => import('./pages/sessions-page.js'), 'SessionsPage');
const ApiTokensPage = page(() => import('./pages/api-tokens-page.js'), 'ApiTokensPage');
const WebhooksPage = page(() => import('./pages/webhooks-page.js'), 'WebhooksPage');
const SettingsPage = page(() => import('./pages/settings-page.js'), 'SettingsPage');
const LiveAppPage = page(() => import('./pages/live-app-page.js'), 'LiveAppPage');
const ReportsPage = page(() => import('./pages/call-data/reports-page.js'), 'ReportsPage');
const ReportSchedulesPage = page(() => import('./pages/call-data/report-schedules-page.js'), 'ReportSchedulesPage');
const DashboardPage = page(() => import('./pages/call-data/dashboard-page.js'), 'DashboardPage');
const WallboardPage = page(() => import('./pages/call-data/wallboard-page.js'), 'WallboardPage');
const LiveStatisticsPage = page(() => import('./pages/call-data/live-statistics-page.js'), 'LiveStatisticsPage');
const RecordingsPage = page(() => import('./pages/call-data/recordings-page.js'), 'RecordingsPage');
const TenantsPage = page(() => import('./pages/provider/tenants-page.js'), 'TenantsPage');
const TenantDetailPage = page(() => import('./pages/provider/tenant-detail-page.js'), 'TenantDetailPage');
const PlansPage = page(() => import('./pages/provider/plans-page.js'), 'PlansPage');

const fallback = (
  <Center p="xl">
    <Loader aria-label="Loading" />
  </Center>
);
const lazyEl = (el: ReactNode) => <Suspense fallback={fallback}>{el}</Suspense>;

function RequireSession({ children }: { children: ReactNode }) {
  const { session, restoring } = useSession();
  if (restoring) return fallback;
  if (!session)
    return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function Home() {
  const { session } = useSession();
  const home = useHomePath();
  if (session?.kind === 'provider' && !session.tenantId) return <Navigate to="/provider/tenants" replace />;
  // The first screen this user may open (an agent without admin rights lands on the live app view).
  return home ? <Navigate to={home} replace /> : fallback;
}

const router = createBrowserRouter([
  { path: '/sign-in', element: lazyEl(<SignInPage />) },
  // `switchboard demo` prints this link (src/operator.ts): signs the administrator in once.
  { path: '/sign-in/link', element: lazyEl(<SignInLinkPage />) },
  // The pages the emailed links open (`link()` in src/modules/auth/auth.service.ts): `?token=`.
  { path: '/reset-password', element: lazyEl(<ResetPasswordPage />) },
  { path: '/accept-invitation', element: lazyEl(<AcceptInvitationPage />) },
  { path: '/live', element: lazyEl(<LiveAppPage />) },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Home /> },
      { path: 'users', element: lazyEl(<UsersPage />) },
      { path: 'users/new', element: lazyEl(<NewUserPage />) },
      { path: 'users/import', element: lazyEl(<UsersImportPage />) },
      { path: 'users/:userId/:tab?', element: lazyEl(<UserEditorPage />) },
      { path: 'queues', element: lazyEl(<QueuesPage />) },
      { path: 'groups', element: lazyEl(<GroupsPage />) },
      { path: 'workspaces', element: lazyEl(<WorkspacesPage />) },
      { path: 'profiles', element: lazyEl(<ProfilesPage />) },
      { path: 'role-permissions/:tab?', element: lazyEl(<RolePermissionsPage />) },
      { path: 'usage', element: lazyEl(<UsagePage />) },
      { path: 'audit', element: lazyEl(<AuditPage />) },
      { path: 'sessions', element: lazyEl(<SessionsPage />) },
      { path: 'api-tokens', element: lazyEl(<ApiTokensPage />) },
      { path: 'webhooks', element: lazyEl(<WebhooksPage />) },
      { path: 'settings', element: lazyEl(<SettingsPage />) },
      { path: 'reports', element: lazyEl(<ReportsPage />) },
      { path: 'reports/schedules', element: lazyEl(<ReportSchedulesPage />) },
      { path: 'dashboard', element: lazyEl(<DashboardPage />) },
      { path: 'wallboard', element: lazyEl(<WallboardPage />) },
      { path: 'live-statistics', element: lazyEl(<LiveStatisticsPage />) },
      { path: 'recordings', element: lazyEl(<RecordingsPage />) },
      { path: 'provider/tenants', element: lazyEl(<TenantsPage />) },
      { path: 'provider/tenants/:tenantId', element: lazyEl(<TenantDetailPage />) },
      { path: 'provider/plans', element: lazyEl(<PlansPage />) },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: retryUnlessClientError, refetchOnWindowFocus: false, staleTime: 10_000 } },
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        <I18nProvider>
          <SessionProvider>
            <RouterProvider router={router} />
          </SessionProvider>
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
