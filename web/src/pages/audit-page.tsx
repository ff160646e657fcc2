/** Audit log (AU1): filters, paged entries, and the before/after diff of each entry. */
import { Fragment, useState } from 'react';
import { ActionIcon, Badge, Button, Code, Group, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditEntry, AuditQuery } from '../../../client/index.js';
import { isNotAvailable, qk, useTenantId } from '../api/hooks.js';
import { NotAvailable } from '../components/not-available.js';
import { PageHeader } from '../components/page-header.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { UserPicker } from '../components/user-picker.js';
import { useI18n } from '../i18n/index.js';
import { formatDateTime } from '../lib/format.js';
import { auditActionLabel, auditActorLabel, auditTargetLabel } from '../lib/labels.js';
import { diffValues, recordName } from '../lib/json-diff.js';
import { useSession } from '../session.js';
import { EmptyTableRow } from '../components/empty-table-row.js';

function AuditDiff({ entry }: { entry: AuditEntry }) {
  const { t } = useI18n();
  const rows = diffValues(entry.before, entry.after);
  if (rows.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('audit.noDiff')}
      </Text>
    );
  return (
    <Table withTableBorder fz="xs" aria-label={t('audit.diff')} data-testid="audit-diff">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('audit.field')}</Table.Th>
          <Table.Th>{t('audit.before')}</Table.Th>
          <Table.Th>{t('audit.after')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.path}>
            <Table.Td>
              <Code>{r.path || '—'}</Code>
            </Table.Td>
            <Table.Td style={{ background: r.kind !== 'added' ? 'var(--mantine-color-red-light)' : undefined }}>
              {r.before}
            </Table.Td>
            <Table.Td style={{ background: r.kind !== 'removed' ? 'var(--mantine-color-green-light)' : undefined }}>
              {r.after}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function AuditPage() {
  const tr = useI18n();
  const { t, lang } = tr;
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const [draft, setDraft] = useState<AuditQuery>({});
  const [filters, setFilters] = useState<AuditQuery>({});
  const [open, setOpen] = useState<number | null>(null);
  const query = useInfiniteQuery({
    queryKey: qk.audit(tenantId, filters),
    queryFn: ({ pageParam }) => client.audit.list(tenantId, { ...filters, cursor: pageParam ?? undefined, limit: 100 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!tenantId,
  });
  const entries = query.data?.pages.flatMap((p) => p.items) ?? [];
  const dateField = (key: 'from' | 'to', label: string) => (
    <TextInput
      size="xs"
      label={label}
      type="date"
      value={draft[key] ?? ''}
      w={150}
      onChange={(e) => {
        const v = e.currentTarget.value;
        setDraft((d) => ({ ...d, [key]: v || undefined }));
      }}
    />
  );
  const userField = (key: 'actor' | 'target', label: string) => (
    <UserPicker
      label={label}
      value={draft[key] ?? null}
      onChange={(v) => setDraft((d) => ({ ...d, [key]: v ?? undefined }))}
    />
  );
  return (
    <>
      <PageHeader title={t('nav.audit')} description={t('audit.description')} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({
            ...draft,
            from: draft.from ? new Date(draft.from).toISOString() : undefined,
            to: draft.to ? new Date(`${draft.to}T23:59:59`).toISOString() : undefined,
          });
        }}
      >
        <Group align="flex-end" gap="xs" mb="md">
          {userField('actor', t('audit.actor'))}
          {userField('target', t('audit.target'))}
          {dateField('from', t('audit.from'))}
          {dateField('to', t('audit.to'))}
          <Button size="xs" type="submit">
            {t('audit.apply')}
          </Button>
        </Group>
      </form>
      {query.error ? (
        isNotAvailable(query.error) ? (
          <NotAvailable what={t('nav.audit')} />
        ) : (
          <ProblemAlert error={query.error} />
        )
      ) : (
        <>
          <Table withTableBorder striped aria-label={t('nav.audit')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40} />
                <Table.Th>{t('audit.time')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.target')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => (
                <Fragment key={e.id}>
                  <Table.Tr>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        size="sm"
                        aria-expanded={open === e.id}
                        aria-label={t('audit.showDiff')}
                        onClick={() => setOpen(open === e.id ? null : e.id)}
                      >
                        {open === e.id ? '▾' : '▸'}
                      </ActionIcon>
                    </Table.Td>
                    <Table.Td>{formatDateTime(e.at, lang)}</Table.Td>
                    <Table.Td>
                      {e.actorName ?? (e.actorType === 'user' ? e.actorId : auditActorLabel(tr, e.actorType))}
                      {e.actorType !== 'user' && e.actorId ? (
                        <Badge ml={6} size="xs" variant="outline">
                          {auditActorLabel(tr, e.actorType)}
                        </Badge>
                      ) : null}
                      {e.credential && (
                        <Badge ml={6} size="xs" variant="light" title={e.credential}>
                          {e.credential.split(':')[0]}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" title={e.action}>
                        {auditActionLabel(tr, e.action)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge mr={6} size="xs" variant="default">
                        {auditTargetLabel(tr, e.targetType)}
                      </Badge>
                      {e.targetName ?? recordName(e.before, e.after) ?? e.targetId ?? '—'}
                    </Table.Td>
                  </Table.Tr>
                  {open === e.id && (
                    <Table.Tr>
                      <Table.Td colSpan={5}>
                        <AuditDiff entry={e} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
              {!query.isLoading && entries.length === 0 && (
                <EmptyTableRow columns={5}>{t('audit.empty')}</EmptyTableRow>
              )}
            </Table.Tbody>
          </Table>
          {query.hasNextPage && (
            <Button
              mt="sm"
              variant="default"
              loading={query.isFetchingNextPage}
              onClick={() => void query.fetchNextPage()}
            >
              {t('common.loadMore')}
            </Button>
          )}
        </>
      )}
    </>
  );
}
