import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { MemoryRouter } from 'react-router';
import { I18nProvider } from '../i18n/index.js';
import { actorFromCapabilities, type ActorPowers } from '../lib/actor.js';

const state: { actor: ActorPowers; loading: boolean } = { actor: actorFromCapabilities([]), loading: false };
vi.mock('../api/hooks.js', () => ({ useActor: () => state }));
const { GatedButton } = await import('./gated-button.js');

function show(onClick: () => void) {
  render(
    <MantineProvider>
      <I18nProvider lang="en">
        <MemoryRouter>
          <GatedButton needs="users:create" onClick={onClick}>
            New user
          </GatedButton>
        </MemoryRouter>
      </I18nProvider>
    </MantineProvider>,
  );
  return screen.getByRole('button', { name: /New user/ });
}

describe('actions follow what the signed-in user may do', () => {
  it('C1: without users:create the button is disabled, says why, and a click does nothing', () => {
    state.actor = actorFromCapabilities(['users:view']);
    const onClick = vi.fn();
    const button = show(onClick);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
    expect(button.getAttribute('aria-description')).toBe('Needs “Users: Create” (rule C1)');
  });

  it('C1: with users:create it acts', () => {
    state.actor = actorFromCapabilities(['users:create']);
    const onClick = vi.fn();
    fireEvent.click(show(onClick));
    expect(onClick).toHaveBeenCalledOnce();
  });
});
