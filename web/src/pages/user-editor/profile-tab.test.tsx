import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { User } from '../../../../client/index.js';
import { I18nProvider, type Language } from '../../i18n/index.js';
import type { ChangePreview } from '../../../../client/index.js';
import { controlState } from '../../lib/change-preview.js';
import { actorFromCapabilities } from '../../lib/actor.js';
import { sampleUser } from '../../test-user.js';
import { ProfileTab } from './profile-tab.js';

const admin = actorFromCapabilities(['portal:use', 'users:view', 'users:edit', 'billing:edit']);

/** The server's G15 answer for content the level does not sell (the preview's `contentLevels`). */
const g15 = (capability: string, level: 'report' | 'analytics'): ChangePreview['contentLevels'][number] => ({
  capability,
  level,
  rule: 'G15',
  code: 'supervisor_level_required',
  detail: `needs the ${level} level`,
});

function renderTab(draft: User, contentLevels: ChangePreview['contentLevels'], lang: Language = 'en') {
  const ctx = { actor: admin, tenant: null };
  render(
    <MantineProvider>
      <I18nProvider lang={lang}>
        <ProfileTab
          draft={draft}
          update={() => undefined}
          state={(id) => controlState(null, id)}
          ctx={ctx}
          contentLevels={contentLevels}
          lookups={{ groups: [], queues: [], workspaces: [], profiles: [], usage: null }}
          creating={false}
        />
      </I18nProvider>
    </MantineProvider>,
  );
}

const custom = (grants: User['profile']['grants'], supervisorLevel: User['supervisorLevel'] = 'none'): User => ({
  ...sampleUser(),
  id: 'u1',
  permissions: ['website_access'],
  supervisorLevel,
  profile: { kind: 'custom', grants },
});

describe('profile tab: billable content (G15)', () => {
  it('G15: says which supervisor level the profile’s reports and dashboards need', () => {
    renderTab(custom(['reports:view', 'dashboards:view', 'users:view']), [
      g15('reports:view', 'report'),
      g15('dashboards:view', 'analytics'),
    ]);
    const notes = screen.getAllByTestId('content-level').map((n) => n.textContent);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Needs Report Supervisor (rule G15)'),
        expect.stringContaining('Needs Analytics Supervisor (rule G15)'),
      ]),
    );
    expect(screen.getByTestId('capability-matrix').querySelector('[data-capability="reports:view"]')).toBeTruthy();
  });

  it('G15: nothing to say once the server says the level sells the content', () => {
    renderTab(custom(['reports:view', 'dashboards:view'], 'analytics'), []);
    expect(screen.queryAllByTestId('content-level')).toEqual([]);
  });

  it('G15: in German too', () => {
    renderTab(custom(['reports:view']), [g15('reports:view', 'report')], 'de');
    expect(screen.getAllByTestId('content-level')[0]!.textContent).toContain('G15');
    expect(screen.getAllByTestId('content-level')[0]!.textContent).not.toContain('{level}');
  });
});
