import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { Queue, User } from '../../../../client/index.js';
import { I18nProvider } from '../../i18n/index.js';
import { controlState, type ControlState } from '../../lib/change-preview.js';
import { actorFromCapabilities } from '../../lib/actor.js';
import { sampleUser } from '../../test-user.js';
import { ContactCenterTab } from './contact-center-tab.js';
import { editorTabs } from './user-editor.js';

const ccAdmin = actorFromCapabilities(['portal:use', 'users:view', 'users:edit', 'cc:admin']);
const queue = { id: 'q1', name: 'Sales', kind: 'queue', wrapUpSeconds: 0 } as Queue;

/** The tab as the editor shows it, with the server's weighing of its options (the preview's `options`). */
function renderTab(draft: User, options: Record<string, ControlState> = {}) {
  const ctx = { actor: ccAdmin, tenant: null };
  const preview = { allowed: true, user: null, automatic: [], billable: { added: [], removed: [] }, violations: [] };
  render(
    <MantineProvider>
      <I18nProvider lang="en">
        <ContactCenterTab
          draft={draft}
          update={() => undefined}
          state={(id) => controlState({ ...preview, options, contentLevels: [] }, id)}
          ctx={ctx}
          contentLevels={[]}
          lookups={{ groups: [], queues: [queue], workspaces: [], profiles: [], usage: null }}
          creating={false}
        />
      </I18nProvider>
    </MantineProvider>,
  );
}

const manual = (): User => ({ ...sampleUser(), id: 'm1', permissions: ['website_access'] });

describe('contact center tab', () => {
  it('G14: a manual user gets the Contact Admin switch only; queue roles are for platform users', () => {
    renderTab(manual());
    const toggle = document.querySelector<HTMLInputElement>('[data-control="contactCenter.admin"]');
    expect(toggle?.disabled).toBe(false);
    expect(screen.queryByRole('table', { name: 'Queue roles' })).toBeNull();
    expect(screen.getByTestId('cc-manual').textContent).toContain('G14');
  });

  it('platform users get the switch and the queue roles', () => {
    renderTab({ ...manual(), source: 'platform', licences: ['essential'] });
    expect(document.querySelector('[data-control="contactCenter.admin"]')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Queue roles' })).toBeTruthy();
    expect(screen.queryByTestId('cc-manual')).toBeNull();
  });

  it('G14: a queue role the server greys shows its reason with the rule id, on every queue', () => {
    renderTab(
      { ...manual(), source: 'platform', licences: ['essential'] },
      {
        'queue.agent': {
          disabled: true,
          locked: false,
          reasons: [{ rule: 'G14', code: 'agent_licence_required', detail: 'the agent role needs the Agent licence' }],
        },
      },
    );
    const agent = screen.getByRole<HTMLInputElement>('checkbox', { name: 'Agent of Sales' });
    expect(agent.disabled).toBe(true);
    const reason = document.getElementById(agent.getAttribute('aria-describedby')!)!;
    expect(reason.getAttribute('data-rules')).toBe('G14');
    expect(reason.textContent).toContain('G14');
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Supervisor of Sales' }).disabled).toBe(false);
  });

  it('the editor shows the Contact center tab to manual users (creating one too); the UC client tab to platform users only', () => {
    expect(editorTabs('manual', false)).toContain('contact-center');
    expect(editorTabs('manual', false)).not.toContain('uc-client');
    expect(editorTabs('manual', true)).toContain('contact-center');
    expect(editorTabs('platform', false)).toEqual(expect.arrayContaining(['contact-center', 'uc-client']));
  });
});
