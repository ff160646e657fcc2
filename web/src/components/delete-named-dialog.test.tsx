import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../i18n/index.js';
import { sampleUser } from '../test-user.js';

const list = vi.fn();
vi.mock('../api/hooks.js', () => ({
  qk: { users: (t: string, f: unknown) => ['users', t, f] },
  useTenantId: () => 't1',
}));
vi.mock('../session.js', () => ({ useSession: () => ({ client: { users: { list } } }) }));

const { DeleteNamedDialog } = await import('./delete-named-dialog.js');

function show(lang: 'en' | 'pl') {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <I18nProvider lang={lang}>
          <DeleteNamedDialog
            item={{ id: 'grp_1', name: 'Sales' }}
            isGroup
            pending={false}
            onConfirm={() => undefined}
            onClose={() => undefined}
          />
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe('deleting a group says what happens to its members', () => {
  it('counts the members (they leave the group) and those whose primary group it is (theirs becomes none)', async () => {
    list.mockResolvedValue({
      items: [
        sampleUser({ id: 'a', groups: ['grp_1'], primaryGroup: 'grp_1' }),
        sampleUser({ id: 'b', groups: ['grp_1', 'grp_2'], primaryGroup: 'grp_2' }),
        sampleUser({ id: 'c', groups: ['grp_1'], primaryGroup: null }),
      ],
      nextCursor: null,
    });
    show('en');
    const text = (await screen.findByTestId('group-delete-members')).textContent;
    expect(list).toHaveBeenCalledWith('t1', { group: 'grp_1', limit: 500 });
    expect(text).toContain('3 users are members: they leave the group');
    expect(text).toContain('For 1 of them it is the primary group');
    expect(screen.getByRole('button', { name: 'Delete group' })).toBeTruthy();
  });

  it('an empty group says nobody is a member (Polish)', async () => {
    list.mockResolvedValue({ items: [], nextCursor: null });
    show('pl');
    expect((await screen.findByTestId('group-delete-members')).textContent).toBe('Nikt nie należy do tej grupy.');
  });
});
