import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MantineProvider, TextInput } from '@mantine/core';
import { ApiError } from '../../../client/index.js';
import { I18nProvider } from '../i18n/index.js';
import { MutationForm } from './mutation-form.js';

afterEach(cleanup);

const show = (mutation: { mutate: () => void; error: unknown; isPending: boolean }, onCancel = vi.fn()) =>
  render(
    <MantineProvider>
      <I18nProvider lang="en">
        <MutationForm mutation={mutation} submitLabel="Create" onCancel={onCancel}>
          <TextInput label="Name" required defaultValue="Acme" />
        </MutationForm>
      </I18nProvider>
    </MantineProvider>,
  );

describe('MutationForm', () => {
  it('submitting runs the mutation once, without reloading the page; Cancel only cancels', () => {
    const mutate = vi.fn();
    const onCancel = vi.fn();
    show({ mutate, error: null, isPending: false }, onCancel);
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(mutate).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(mutate).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('problem')).toBeNull();
  });

  it("shows the mutation's refusal above the fields, with its rule", () => {
    const refusal = new ApiError({ status: 409, code: 'tenant_name_taken', rule: 'E2', detail: 'the name is taken' });
    show({ mutate: vi.fn(), error: refusal, isPending: false });
    const problem = screen.getByTestId('problem');
    expect(problem.getAttribute('data-rule')).toBe('E2');
    expect(problem.compareDocumentPosition(screen.getByLabelText(/^Name/)) & Node.DOCUMENT_POSITION_FOLLOWING).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
  });
});
