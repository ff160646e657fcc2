import { describe, expect, it } from 'vitest';
import { diffValues, recordName } from './json-diff.js';

// Shapes as the server's audit log answers them (GET /v1/tenants/{t}/audit).
const group = { id: 'grp_1', name: 'Night shift', version: 15, createdAt: '2026-11-22T07:15:02.268Z' };

describe('audit diff', () => {
  it('shows only the fields an update changed, nested by path', () => {
    const before = {
      id: 'u1',
      status: 'active',
      features: { recording: false, dialRestriction: { enabled: false, allowedRegions: [] } },
      groups: [],
      version: 2,
    };
    const after = {
      id: 'u1',
      status: 'suspended',
      features: { recording: false, dialRestriction: { enabled: true, allowedRegions: ['DE', 'AT'] } },
      groups: ['g1'],
      version: 3,
    };
    expect(diffValues(before, after)).toEqual([
      { path: 'features.dialRestriction.allowedRegions', before: '[]', after: 'DE, AT', kind: 'changed' },
      { path: 'features.dialRestriction.enabled', before: 'false', after: 'true', kind: 'changed' },
      { path: 'groups', before: '[]', after: 'g1', kind: 'changed' },
      { path: 'status', before: 'active', after: 'suspended', kind: 'changed' },
      { path: 'version', before: '2', after: '3', kind: 'changed' },
    ]);
  });
  it('reads a create (before null) as added and a delete (after null) as removed', () => {
    expect(diffValues(null, group).map((r) => [r.path, r.kind])).toEqual([
      ['createdAt', 'added'],
      ['id', 'added'],
      ['name', 'added'],
      ['version', 'added'],
    ]);
    expect(diffValues(group, null).every((r) => r.kind === 'removed' && r.after === '')).toBe(true);
    expect(diffValues(undefined, { sessionsEnded: 2 })).toEqual([
      { path: 'sessionsEnded', before: '', after: '2', kind: 'added' },
    ]);
  });
  it('handles bare values, lists of objects and nulls inside records', () => {
    expect(diffValues('active', 'suspended')).toEqual([
      { path: '', before: 'active', after: 'suspended', kind: 'changed' },
    ]);
    expect(diffValues([1, 2], [1, 2])).toEqual([]);
    expect(diffValues({ devices: [{ id: 'd1' }] }, { devices: [] })).toEqual([
      { path: 'devices', before: '[{"id":"d1"}]', after: '[]', kind: 'changed' },
    ]);
    expect(diffValues({ primaryGroup: 'g1' }, { primaryGroup: null })).toEqual([
      { path: 'primaryGroup', before: 'g1', after: 'null', kind: 'changed' },
    ]);
    expect(diffValues({ a: {} }, { a: { b: 1 } })).toEqual([
      { path: 'a', before: '{}', after: '', kind: 'removed' },
      { path: 'a.b', before: '', after: '1', kind: 'added' },
    ]);
  });
  it('names the record from its displayName or name', () => {
    expect(recordName(null, group)).toBe('Night shift');
    expect(recordName({ displayName: 'Zofia Needleman' }, null)).toBe('Zofia Needleman');
    expect(recordName('x', [1])).toBeUndefined();
  });
});
