import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { Queue, User } from '../../../../client/index.js';
import { I18nProvider } from '../../i18n/index.js';
import { controlState, type GreyingContext } from '../../lib/access-greying.js';
import { actorFromCapabilities } from '../../lib/actor.js';
import { sampleUser } from '../../test-user.js';
import { ContactCenterTab } from './contact-center-tab.js';
import { editorTabs } from './user-editor.js';

const ccAdmin = actorFromCapabilities(['portal:use', 'users:view', 'users:edit', 'cc:admin']);
const queue = { id: 'q1', name: 'Sales', kind: 'queue', wrapUpSeconds: 0 } as Queue;

function renderTab(draft: User) {
  const ctx: GreyingContext = { user: draft, actor: ccAdmin, access: null, tenant: null };
  render(
    <MantineProvider>
      <I18nProvider lang="en">
        <ContactCenterTab
          draft={draft}
          update={() => undefined}
          state={(id) => controlState(id, ctx)}
          ctx={ctx}
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

  it('the editor shows the Contact center tab to manual users (creating one too); the UC client tab to platform users only', () => {
    expect(editorTabs('manual', false)).toContain('contact-center');
    expect(editorTabs('manual', false)).not.toContain('uc-client');
    expect(editorTabs('manual', true)).toContain('contact-center');
    expect(editorTabs('platform', false)).toEqual(expect.arrayContaining(['contact-center', 'uc-client']));
  });
});
