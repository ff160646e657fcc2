/**
 * Live app view: sign in as an app would (audience "app"), receive the effective configuration
 * over the stream (D1) and watch it change as an admin edits the user (F4). The SDK's
 * `ConfigStream` holds the connection (reconnect with backoff, resume with `since`, never an older
 * version); while it is down, the view polls /v1/me/config so it stays current. When one email and
 * password open accounts in several organisations, the person chooses the organisation (G2).
 */
import { useEffect, useReducer, useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Container,
  Group,
  PasswordInput,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { ConfigStream, createClient, type EffectiveConfig, type SwitchboardClient } from '../../../client/index.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { useI18n } from '../i18n/index.js';
import { applyStreamMessage, INITIAL_LIVE, type LiveState, type StreamMessage } from '../lib/live-config.js';
import { regionName } from '../lib/regions.js';
import { organisationChoice, type OrganisationChoice } from '../session.js';

type Transport = 'connecting' | 'stream' | 'polling';

/** How often /v1/me/config is polled while the stream is down. */
const POLL_MS = 1500;
/** The app session's keep-alive (POST /v1/auth/heartbeat). */
const HEARTBEAT_MS = 30_000;

function useLiveConfig(client: SwitchboardClient | null) {
  const [state, dispatch] = useReducer((s: LiveState, m: StreamMessage) => applyStreamMessage(s, m), INITIAL_LIVE);
  const [transport, setTransport] = useState<Transport>('connecting');
  useEffect(() => {
    if (!client) return;
    let poll: ReturnType<typeof setInterval> | null = null;
    const fetchOnce = () => {
      client.me
        .config()
        .then((config) => dispatch({ type: 'config', version: config.version, config }))
        .catch(() => undefined);
    };
    const startPolling = () => {
      if (poll) return;
      setTransport('polling');
      fetchOnce();
      poll = setInterval(fetchOnce, POLL_MS);
    };
    const stopPolling = () => {
      if (poll) clearInterval(poll);
      poll = null;
    };
    // Browsers cannot set headers on a WebSocket: each (re)connect takes a fresh single-use ticket.
    const stream = new ConfigStream({ baseUrl: '', getTicket: async () => (await client.me.streamTicket()).ticket });
    const unsubscribe = [
      stream.on('open', () => {
        stopPolling();
        setTransport('stream');
      }),
      stream.on('config', (config) => dispatch({ type: 'config', version: config.version, config })),
      stream.on('revoked', ({ reason }) => dispatch({ type: 'revoked', reason })),
      // The stream reconnects on its own; until it is back, polling keeps the view current.
      stream.on('error', startPolling),
      stream.on('close', startPolling),
    ];
    stream.start();
    const heartbeat = setInterval(() => {
      client.auth.heartbeat().catch(() => undefined);
    }, HEARTBEAT_MS);
    return () => {
      for (const off of unsubscribe) off();
      stream.stop();
      stopPolling();
      clearInterval(heartbeat);
    };
  }, [client]);
  return { state, transport };
}

function ConfigView({ config, changed }: { config: EffectiveConfig; changed: ReadonlySet<string> }) {
  const { t, lang } = useI18n();
  const flag = (on: boolean) => (
    <Badge color={on ? 'teal' : 'gray'} variant={on ? 'filled' : 'outline'}>
      {on ? t('common.on') : t('common.off')}
    </Badge>
  );
  const hi = (path: string) =>
    [...changed].some((c) => c.startsWith(path))
      ? { outline: '2px solid var(--mantine-color-yellow-5)', borderRadius: 6 }
      : undefined;
  const f = config.features;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Card withBorder style={hi('features')}>
        <Title order={2} size="h4" mb="xs">
          {t('live.features')}
        </Title>
        <Stack gap={6}>
          <Group justify="space-between">
            <Text>{t('live.calls')}</Text>
            {flag(f.calls)}
          </Group>
          <Group justify="space-between">
            <Text>{t('live.sms')}</Text>
            {flag(f.sms)}
          </Group>
          <Group justify="space-between">
            <Text>{t('features.recording')}</Text>
            {flag(f.recording)}
          </Group>
          <Group justify="space-between">
            <Text>{t('features.crmOverlay')}</Text>
            {flag(f.crmOverlay)}
          </Group>
          <Group justify="space-between">
            <Text>{t('features.dialRestriction')}</Text>
            {flag(f.dialRestriction.enabled)}
          </Group>
          {f.dialRestriction.enabled && (
            <Text size="sm" c="dimmed">
              {[f.dialRestriction.homeRegion, ...f.dialRestriction.allowedRegions]
                .map((r) => regionName(r, lang))
                .join(', ')}
            </Text>
          )}
        </Stack>
      </Card>
      <Card withBorder style={hi('supervisor')}>
        <Title order={2} size="h4" mb="xs">
          {t('live.supervisor')}
        </Title>
        <Text data-testid="live-supervisor-level">{t(`supervisorLevel.${config.supervisor.level}`)}</Text>
        <Group gap={4} mt="xs">
          {(['reports', 'dashboards', 'wallboards', 'liveCalls', 'ccData'] as const).map((k) => (
            <Badge
              key={k}
              variant={config.supervisor[k] ? 'filled' : 'outline'}
              color={config.supervisor[k] ? 'blue' : 'gray'}
            >
              {t(`live.sup.${k}`)}
            </Badge>
          ))}
        </Group>
        <Title order={3} size="h5" mt="md" mb={4}>
          {t('live.softphone')}
        </Title>
        <Text size="sm">
          {config.softphone
            ? `${config.softphone.clients.join(', ')} · ${config.softphone.device.kind}`
            : t('common.off')}
        </Text>
      </Card>
      <Card withBorder style={hi('capabilities')}>
        <Title order={2} size="h4" mb="xs">
          {t('live.capabilities', { count: config.capabilities.length })}
        </Title>
        <Group gap={4} data-testid="live-capabilities">
          {config.capabilities.map((c) => (
            <Badge key={c} variant="light" size="sm" color={changed.has(`capabilities`) ? 'yellow' : 'blue'}>
              {c}
            </Badge>
          ))}
        </Group>
      </Card>
      <Card withBorder style={hi('queues')}>
        <Title order={2} size="h4" mb="xs">
          {t('live.queues')}
        </Title>
        {config.queues.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('live.noQueues')}
          </Text>
        ) : (
          config.queues.map((q) => (
            <Text size="sm" key={q.id}>
              <b>{q.name}</b> · {q.roles.join(', ')} · <Code>{q.capabilities.join(' ')}</Code>
            </Text>
          ))
        )}
      </Card>
    </SimpleGrid>
  );
}

export function LiveAppPage() {
  const { t, lang } = useI18n();
  const [client, setClient] = useState<SwitchboardClient | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [choices, setChoices] = useState<OrganisationChoice[] | null>(null);
  const { state, transport } = useLiveConfig(client);
  const [prefs, setPrefs] = useState({ recording: true, crmOverlay: true });

  async function signIn(e: FormEvent, tenantId?: string) {
    e.preventDefault();
    setError(null);
    try {
      const r = await createClient({ baseUrl: '' }).auth.login({
        email: email.trim(),
        password,
        audience: 'app',
        ...(tenantId ? { tenantId } : {}),
      });
      setChoices(null);
      setClient(createClient({ baseUrl: '', token: r.token }));
    } catch (err) {
      // G2: the same email and password open accounts in several organisations: the person chooses.
      const offered = organisationChoice(err);
      if (offered) setChoices(offered);
      else setError(err);
    }
  }
  async function setPref(key: 'recording' | 'crmOverlay', on: boolean) {
    setPrefs((p) => ({ ...p, [key]: on }));
    try {
      await client?.me.setPreferences({ [key]: on });
    } catch (err) {
      setError(err);
    }
  }
  const latest = state.updates[0];
  const changed = new Set((latest?.changes ?? []).map((c) => c.path.replace(/\.\d+$/, '')));
  return (
    <Container size="lg" py="lg" component="main">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={1} size="h2">
            {t('live.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('live.description')}
          </Text>
        </div>
        <Anchor href="/users" size="sm">
          {t('live.backToPortal')}
        </Anchor>
      </Group>
      {error ? <ProblemAlert error={error} onClose={() => setError(null)} /> : null}
      {!client ? (
        <Card withBorder maw={420}>
          <form onSubmit={signIn}>
            <Stack>
              <TextInput
                label={t('signIn.email')}
                // Not type="email": browsers refuse internationalised addresses (RFC 6531) the server accepts.
                type="text"
                inputMode="email"
                required
                value={email}
                onChange={(e) => {
                  setEmail(e.currentTarget.value);
                  setChoices(null);
                }}
                autoComplete="username"
              />
              <PasswordInput
                label={t('signIn.password')}
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                autoComplete="current-password"
              />
              {choices && (
                <Stack gap="xs" role="group" aria-labelledby="live-organisation-choice">
                  <Text id="live-organisation-choice" size="sm" fw={500}>
                    {t('signIn.chooseOrganisation')}
                  </Text>
                  {choices.map((o) => (
                    <Button
                      key={o.tenantId}
                      variant="default"
                      onClick={(e) => void signIn(e, o.tenantId)}
                      styles={{ label: { whiteSpace: 'normal' } }}
                    >
                      {o.name}
                    </Button>
                  ))}
                </Stack>
              )}
              <Button type="submit">{t('live.signIn')}</Button>
            </Stack>
          </form>
        </Card>
      ) : (
        <Stack>
          <Group gap="xs">
            <Badge
              size="lg"
              color={transport === 'stream' ? 'teal' : transport === 'polling' ? 'yellow' : 'gray'}
              data-testid="live-transport"
            >
              {t(`live.transport.${transport}`)}
            </Badge>
            <Badge size="lg" variant="outline" data-testid="live-version">
              {t('live.version', { version: state.version })}
            </Badge>
            <Button size="xs" variant="default" onClick={() => setClient(null)}>
              {t('header.signOut')}
            </Button>
          </Group>
          {state.revoked && (
            <Alert color="red" title={t('live.revoked')}>
              {state.revoked}
            </Alert>
          )}
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
              {t('live.preferences')}
            </Title>
            <Group>
              <Switch
                label={t('features.recording')}
                checked={prefs.recording}
                onChange={(e) => void setPref('recording', e.currentTarget.checked)}
              />
              <Switch
                label={t('features.crmOverlay')}
                checked={prefs.crmOverlay}
                onChange={(e) => void setPref('crmOverlay', e.currentTarget.checked)}
              />
            </Group>
            <Text size="xs" c="dimmed" mt={4}>
              {t('live.preferencesHelp')}
            </Text>
          </Card>
          {latest && (
            <Alert
              color="yellow"
              title={t('live.updated', { version: latest.version, time: new Date(latest.at).toLocaleTimeString(lang) })}
              data-testid="live-update"
              aria-live="polite"
            >
              {latest.changes.slice(0, 8).map((c) => (
                <Text size="sm" key={c.path}>
                  <Code>{c.path}</Code>: {c.before || '—'} → {c.after || '—'}
                </Text>
              ))}
            </Alert>
          )}
          {state.config ? (
            <ConfigView config={state.config} changed={changed} />
          ) : (
            <Text c="dimmed">{t('common.loading')}</Text>
          )}
        </Stack>
      )}
    </Container>
  );
}
