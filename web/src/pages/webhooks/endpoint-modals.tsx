/** The dialogs of the webhooks screen: a new endpoint (URL, event types from the catalogue, description, enabled) and a secret rotation. */
import { useState } from 'react';
import {
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { webhookKeys, webhooksApi, type CreatedWebhook, type RotatedSecret, type Webhook } from '../../api/webhooks.js';
import { useTenantId } from '../../api/hooks.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';

export function CreateEndpointModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (w: CreatedWebhook) => void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const api = webhooksApi(client);
  const catalogue = useQuery({
    queryKey: webhookKeys.eventTypes(),
    queryFn: () => api.eventTypes(),
    enabled: opened,
    staleTime: 300_000,
  });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [enabled, setEnabled] = useState(true);
  const create = useMutation({
    mutationFn: () => api.create(tenantId, { url: url.trim(), events, description, enabled }),
    onSuccess: (w) => {
      setUrl('');
      setEvents([]);
      setDescription('');
      setEnabled(true);
      create.reset();
      onCreated(w);
    },
  });
  const types = (catalogue.data?.items ?? []).map((e) => ({ value: e.type, label: `${e.type}: ${e.summary}` }));
  return (
    <Modal opened={opened} onClose={onClose} title={t('webhooks.new')} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          {create.error ? <ProblemAlert error={create.error} /> : null}
          {catalogue.error ? <ProblemAlert error={catalogue.error} /> : null}
          <TextInput
            label={t('webhooks.url')}
            description={t('webhooks.urlHelp')}
            placeholder="https://"
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            data-testid="webhook-url"
          />
          <MultiSelect
            label={t('webhooks.events')}
            description={t('webhooks.eventsHelp')}
            placeholder={events.length ? undefined : t('webhooks.allEvents')}
            data={types}
            value={events}
            onChange={setEvents}
            searchable
            clearable
            data-testid="webhook-events"
          />
          <Textarea
            label={t('webhooks.descriptionLabel')}
            value={description}
            maxLength={500}
            autosize
            minRows={2}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Switch
            label={t('webhooks.enabled')}
            checked={enabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!url.trim()}>
              {t('webhooks.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function RotateSecretModal({
  endpoint,
  onClose,
  onRotated,
}: {
  endpoint: Webhook | null;
  onClose: () => void;
  onRotated: (endpoint: Webhook, r: RotatedSecret) => void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const [hours, setHours] = useState<number>(24);
  const rotate = useMutation({
    mutationFn: (w: Webhook) => webhooksApi(client).rotateSecret(tenantId, w.id, Math.round(hours * 3600)),
    onSuccess: (r, w) => {
      rotate.reset();
      onRotated(w, r);
    },
  });
  return (
    <Modal opened={!!endpoint} onClose={onClose} title={t('webhooks.rotateTitle')}>
      <Stack>
        {rotate.error ? <ProblemAlert error={rotate.error} /> : null}
        <Text size="sm">{endpoint?.url}</Text>
        <Text size="sm" c="dimmed">
          {t('webhooks.rotateHelp')}
        </Text>
        <NumberInput
          label={t('webhooks.overlapHours')}
          min={0}
          max={168}
          value={hours}
          onChange={(v) => setHours(typeof v === 'number' ? v : Number(v) || 0)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={rotate.isPending} onClick={() => endpoint && rotate.mutate(endpoint)}>
            {t('webhooks.rotate')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
