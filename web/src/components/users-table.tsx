/**
 * The users table: server-side cursor paging (infinite query) and virtualised rows, so a
 * tenant with 100,000 users scrolls smoothly: only the visible rows are in the DOM and the
 * next page is fetched as the end comes into view.
 */
import { useEffect, useRef } from 'react';
import { Anchor, Badge, Box, Center, Checkbox, Group, Loader, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Link } from 'react-router';
import type { User } from '../../../client/index.js';
import { useI18n } from '../i18n/index.js';

export interface UsersTableProps {
  users: User[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: () => void;
  height?: string;
}

const COLUMNS = '44px minmax(220px, 2.2fr) 110px 110px minmax(160px, 1.6fr) 150px 90px';
/** The columns' least width with the rows' padding: narrower screens (a phone) scroll the table, not the page. */
const MIN_WIDTH = 44 + 220 + 110 + 110 + 160 + 150 + 90 + 24;
const ROW_HEIGHT = 52;

export function UsersTable({
  users,
  hasMore,
  loadingMore,
  onLoadMore,
  selected,
  onToggle,
  onToggleAll,
  height = 'calc(100vh - 290px)',
}: UsersTableProps) {
  const { t } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: users.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index;

  useEffect(() => {
    if (lastIndex !== undefined && lastIndex >= users.length - 40 && hasMore && !loadingMore) onLoadMore();
  }, [lastIndex, users.length, hasMore, loadingMore, onLoadMore]);

  const allSelected = users.length > 0 && users.every((u) => selected.has(u.id));
  const header = [
    t('users.col.name'),
    t('users.col.source'),
    t('users.col.status'),
    t('users.col.licences'),
    t('users.col.supervisor'),
    t('users.col.website'),
  ];

  return (
    <Box style={{ overflowX: 'auto', maxWidth: '100%' }} data-testid="users-table-scroll">
      <Box
        role="table"
        aria-label={t('users.tableLabel')}
        aria-rowcount={users.length + 1}
        data-testid="users-table"
        style={{
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-md)',
          minWidth: MIN_WIDTH,
        }}
      >
        <Box role="rowgroup">
          <Box
            role="row"
            aria-rowindex={1}
            style={{
              display: 'grid',
              gridTemplateColumns: COLUMNS,
              alignItems: 'center',
              padding: '8px 12px',
              borderBottom: '1px solid var(--mantine-color-default-border)',
              fontWeight: 600,
              fontSize: 'var(--mantine-font-size-sm)',
            }}
          >
            <Box role="columnheader">
              <Checkbox
                aria-label={t('users.selectAll')}
                checked={allSelected}
                indeterminate={!allSelected && selected.size > 0}
                onChange={onToggleAll}
              />
            </Box>
            {header.map((h) => (
              <Box role="columnheader" key={h}>
                {h}
              </Box>
            ))}
          </Box>
        </Box>
        <Box
          ref={scrollRef}
          role="rowgroup"
          style={{ height, minHeight: 240, overflow: 'auto', contain: 'strict' }}
          tabIndex={-1}
        >
          <Box style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((row) => {
              const user = users[row.index];
              return (
                <Box
                  key={row.key}
                  role="row"
                  aria-rowindex={row.index + 2}
                  data-index={row.index}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: row.size,
                    transform: `translateY(${row.start}px)`,
                    display: 'grid',
                    gridTemplateColumns: COLUMNS,
                    alignItems: 'center',
                    padding: '0 12px',
                    borderBottom: '1px solid var(--mantine-color-default-border)',
                  }}
                >
                  {user ? (
                    <UserRow user={user} checked={selected.has(user.id)} onToggle={onToggle} />
                  ) : (
                    <Box role="cell" style={{ gridColumn: '1 / -1' }}>
                      <Center>
                        <Loader size="xs" aria-label={t('common.loading')} />
                      </Center>
                    </Box>
                  )}
                </Box>
              );
            })}
          </Box>
          {users.length === 0 && !hasMore && (
            <Text c="dimmed" p="lg" ta="center">
              {t('users.empty')}
            </Text>
          )}
        </Box>
      </Box>
    </Box>
  );
}

function UserRow({ user, checked, onToggle }: { user: User; checked: boolean; onToggle: (id: string) => void }) {
  const { t } = useI18n();
  return (
    <>
      <Box role="cell">
        <Checkbox
          aria-label={t('users.select', { name: user.displayName })}
          checked={checked}
          onChange={() => onToggle(user.id)}
        />
      </Box>
      <Box role="cell" style={{ minWidth: 0 }}>
        <Anchor
          component={Link}
          to={`/users/${encodeURIComponent(user.id)}`}
          fw={500}
          size="sm"
          truncate="end"
          display="block"
        >
          {user.displayName || '—'}
        </Anchor>
        <Text size="xs" c="dimmed" truncate="end">
          {user.email ?? ''}
          {user.extension ? ` · ${t('users.ext')} ${user.extension}` : ''}
        </Text>
      </Box>
      <Box role="cell">
        <Badge variant="light" color={user.source === 'platform' ? 'blue' : 'gray'} size="sm">
          {t(`source.${user.source}`)}
        </Badge>
      </Box>
      <Box role="cell">
        <Badge
          variant="dot"
          color={user.status === 'active' ? 'teal' : user.status === 'suspended' ? 'orange' : 'gray'}
          size="sm"
        >
          {t(`status.${user.status}`)}
        </Badge>
      </Box>
      <Box role="cell">
        <Group gap={4}>
          {user.licences.map((l) => (
            <Badge key={l} size="xs" variant="outline">
              {t(`licenceShort.${l}`)}
            </Badge>
          ))}
        </Group>
      </Box>
      <Box role="cell">
        <Text size="sm">{user.supervisorLevel === 'none' ? '—' : t(`supervisorLevel.${user.supervisorLevel}`)}</Text>
      </Box>
      <Box role="cell">
        <Text size="sm">{user.permissions.includes('website_access') ? t('common.yes') : t('common.no')}</Text>
      </Box>
    </>
  );
}
