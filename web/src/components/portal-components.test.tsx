import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';
import { I18nProvider } from '../i18n/index.js';
import { summaryFromPreview } from '../lib/change-preview.js';
import { sampleUser } from '../test-user.js';
import { BillableImpactView, ChangeLine } from './change-summary-view.js';
import { DisabledReason } from './disabled-reason.js';
import { RegionPicker } from './region-picker.js';

const wrap = (ui: ReactNode) =>
  render(
    <MantineProvider>
      <I18nProvider lang="en">{ui}</I18nProvider>
    </MantineProvider>,
  );

describe('RegionPicker', () => {
  it('finds a country by name and adds its ISO code; the home region is always shown', () => {
    const onChange = vi.fn();
    wrap(<RegionPicker value={['FR']} homeRegion="PL" onChange={onChange} />);
    expect(screen.getByText(/Poland · home/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Add a country'), { target: { value: 'germ' } });
    fireEvent.click(screen.getByRole('button', { name: /Germany \(DE\)/ }));
    expect(onChange).toHaveBeenCalledWith(['FR', 'DE']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove France' }));
    expect(onChange).toHaveBeenLastCalledWith([]);
  });
});

describe('greyed control reason', () => {
  it('says why, with the rule', () => {
    wrap(
      <DisabledReason
        id="r"
        state={{
          disabled: true,
          locked: false,
          reasons: [{ rule: 'G1', code: 'website_access_required', detail: '' }],
        }}
      />,
    );
    expect(screen.getByTestId('disabled-reason').textContent).toBe('Needs Website access first (rule G1)');
  });
});

describe('change summary', () => {
  it('shows A2 as automatic and the billable impact in words, with the C2 warning', () => {
    const before = sampleUser({ id: 'u', source: 'platform', licences: ['essential'] });
    const draft = { ...before, supervisorLevel: 'report' as const };
    // The server's preview of the save: A2 adds website access; C2 refuses it for want of billing rights.
    const summary = summaryFromPreview(before, before, draft, {
      allowed: false,
      user: { ...draft, permissions: ['website_access'] },
      automatic: [{ rule: 'A2', field: '/permissions', value: 'website_access', because: ['supervisorLevel'] }],
      billable: { added: ['supervisor_report'], removed: [] },
      violations: [{ code: 'billable_permission_required', rule: 'C2', field: '/supervisorLevel', detail: '' }],
      options: {},
      contentLevels: [],
    });
    wrap(
      <>
        {summary.changes.map((c, i) => (
          <ChangeLine key={i} change={c} />
        ))}
        <BillableImpactView summary={summary} />
      </>,
    );
    const lines = screen.getAllByTestId('change-line').map((l) => l.textContent);
    expect(lines).toContain('Permissions: + Website access (automatic, rule A2)');
    expect(lines).toContain('Supervisor level: None → Report Supervisor');
    expect(screen.getByTestId('billable-impact').textContent).toContain('Adds 1 Report Supervisor licence');
    expect(screen.getByTestId('billable-impact').textContent).toContain('rule C2');
  });
});
