/**
 * The summary shown before saving a user, from the server's preview of the save: each change in words
 * (with what automatic assignment adds), the billable impact, and every rule the save would break.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useI18n } from '../i18n/index.js';
import type { Change, ChangeSummary } from '../lib/change-preview.js';
import { describeBlock } from '../lib/problem-message.js';
import { regionName } from '../lib/regions.js';
import { ProblemAlert } from './problem-alert.js';

/** Names of referenced ids (groups, queues, workspaces, profiles, devices) for readable lines. */
const NamesContext = createContext<ReadonlyMap<string, string>>(new Map());
export function NamesProvider({ names, children }: { names: ReadonlyMap<string, string>; children: ReactNode }) {
  return <NamesContext.Provider value={names}>{children}</NamesContext.Provider>;
}

const VALUE_FAMILY: Record<string, string> = {
  licences: 'licence',
  permissions: 'permission',
  supervisorLevel: 'supervisorLevel',
  status: 'status',
  recordingScope: 'recordingScope',
  'profile.kind': 'profileKind',
  'features.channels': 'channels',
  'ucClient.softphone.clients': 'softphoneClient',
};

export function ChangeLine({ change }: { change: Change }) {
  const { t, has, lang } = useI18n();
  const names = useContext(NamesContext);
  const [head, id] = change.field.startsWith('queues.')
    ? ['queues', change.field.slice(7)]
    : change.field.startsWith('workspaces.')
      ? ['workspaces', change.field.slice(11)]
      : [change.field, ''];
  const fieldLabel =
    head === 'queues'
      ? t('field.queue', { name: names.get(id) ?? id })
      : head === 'workspaces'
        ? t('field.workspace', { name: names.get(id) ?? id })
        : has(`field.${head}`)
          ? t(`field.${head}`)
          : head;
  const value = (v: string | undefined): string => {
    if (v === undefined || v === '') return '—';
    if (v === 'true') return t('common.on');
    if (v === 'false') return t('common.off');
    const family = head === 'queues' ? 'queueRole' : head === 'workspaces' ? 'workspaceRole' : VALUE_FAMILY[head];
    if (family && has(`${family}.${v}`)) return t(`${family}.${v}`);
    if (head === 'features.dialRestriction.allowedRegions') return `${regionName(v, lang)} (${v})`;
    return names.get(v) ?? v;
  };
  const text =
    change.kind === 'added'
      ? t('summary.added', { field: fieldLabel, value: value(change.item) })
      : change.kind === 'removed'
        ? t('summary.removed', { field: fieldLabel, value: value(change.item) })
        : change.kind === 'cleared'
          ? t('summary.cleared', { field: fieldLabel })
          : change.kind === 'set'
            ? t('summary.set', { field: fieldLabel, value: value(change.to) })
            : t('summary.changed', { field: fieldLabel, from: value(change.from), to: value(change.to) });
  return (
    <Text size="sm" data-testid="change-line">
      {text}
      {change.rule ? ` ${t('summary.automatic', { rule: change.rule })}` : ''}
    </Text>
  );
}

/** The billable lines ("adds 1 Agent add-on licence") and the C2 warning. */
export function BillableImpactView({ summary }: { summary: ChangeSummary }) {
  const { t } = useI18n();
  if (!summary.billable.length)
    return (
      <Text size="sm" c="dimmed" data-testid="billable-none">
        {t('summary.noBillable')}
      </Text>
    );
  return (
    <Alert
      color={summary.needsBillingPermission ? 'red' : summary.increasesBilling ? 'orange' : 'teal'}
      title={t('summary.billableTitle')}
      data-testid="billable-impact"
    >
      <Stack gap={2}>
        {summary.billable.map((b) => (
          <Text size="sm" key={b.key}>
            {t(b.delta > 0 ? 'summary.billableAdd' : 'summary.billableRemove', {
              count: 1,
              licence: t(`billable.${b.key}`),
            })}
          </Text>
        ))}
        {summary.needsBillingPermission && (
          <Text size="sm" fw={600} mt={4}>
            {t('summary.needsBilling')}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

interface ChangeSummaryModalProps {
  opened: boolean;
  summary: ChangeSummary;
  /** The server is still answering the preview of this change. */
  checking?: boolean;
  saving: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
  onReload: () => void;
}

export function ChangeSummaryModal({
  opened,
  summary,
  checking = false,
  saving,
  error,
  onConfirm,
  onClose,
  onReload,
}: ChangeSummaryModalProps) {
  const tr = useI18n();
  const { t } = tr;
  return (
    <Modal opened={opened} onClose={onClose} title={t('summary.title')} size="lg">
      <Stack data-testid="change-summary">
        <List spacing={4} listStyleType="none">
          {summary.changes.map((c, i) => (
            <List.Item key={i}>
              <ChangeLine change={c} />
            </List.Item>
          ))}
        </List>
        <BillableImpactView summary={summary} />
        {summary.violations.length > 0 && (
          <Alert color="red" variant="light" data-testid="preview-violations">
            <Stack gap={2}>
              {summary.violations.map((v, i) => (
                <Text size="sm" key={i}>
                  {v.rule ? `${v.rule}: ` : ''}
                  {describeBlock({ rule: v.rule ?? '', code: v.code, detail: v.detail }, tr)}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
        {error ? <ProblemAlert error={error} onReload={onReload} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={onConfirm} loading={saving || checking} disabled={summary.empty}>
            {t('summary.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
