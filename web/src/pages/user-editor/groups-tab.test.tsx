import { describe, expect, it } from 'vitest';
import { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { User } from '../../../../client/index.js';
import { I18nProvider } from '../../i18n/index.js';
import { controlState } from '../../lib/change-preview.js';
import { actorFromCapabilities } from '../../lib/actor.js';
import { sampleUser } from '../../test-user.js';
import { GroupsTab } from './groups-tab.js';

const admin = actorFromCapabilities(['portal:use', 'users:view', 'users:edit']);
const groups = [
  { id: 'grp-1', name: 'Sales' },
  { id: 'grp-2', name: 'Support' },
];

/** The tab with a real state update, deferred like the editor's (`setDraft(fn)`): the updater runs after the event. */
function Harness({ onDraft }: { onDraft: (u: User) => void }) {
  const [draft, setDraft] = useState<User>({ ...sampleUser(), id: 'u1', permissions: ['website_access'] });
  onDraft(draft);
  const ctx = { actor: admin, tenant: null };
  return (
    <GroupsTab
      draft={draft}
      update={(fn) => setDraft((d) => fn(d))}
      state={(id) => controlState(null, id)}
      ctx={ctx}
      contentLevels={[]}
      lookups={{ groups, queues: [], workspaces: [], profiles: [], usage: null } as never}
      creating={false}
    />
  );
}

describe('groups tab', () => {
  it('ticking and unticking a group changes the membership once, without reading a released event', () => {
    let latest: User | null = null;
    render(
      <MantineProvider>
        <I18nProvider lang="en">
          <Harness onDraft={(u) => (latest = u)} />
        </I18nProvider>
      </MantineProvider>,
    );
    fireEvent.click(screen.getByRole('checkbox', { name: 'Support' }));
    expect(latest!.groups).toEqual(['grp-2']);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Sales' }));
    expect([...latest!.groups].sort()).toEqual(['grp-1', 'grp-2']);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Support' }));
    expect(latest!.groups).toEqual(['grp-1']);
  });
});
