import { describe, expect, it } from 'vitest';
import { applyAutomaticAssignments } from './automatic-assignment.js';
import { explainUser } from './explain.js';
import type { UserAccess } from './types.js';
import { makeTenant, makeUser } from '../../test/support/access-factories.js';
import { admin, changeContext as ctx, provider, violationCodes as codes } from '../../test/support/change-actors.js';

/** Automatic assignment (A1-A4): what a change gives or clears by itself, and what the rules then say. */

describe('automatic assignment', () => {
  it('A1: platform users get Essential', () => {
    expect(applyAutomaticAssignments(makeUser({ licences: [] }), null).licences).toContain('essential');
  });
  it('A2: a supervisor level, a profile, contact admin or UC client access brings website access', () => {
    for (const change of [
      { supervisorLevel: 'report' as const },
      { profile: { kind: 'custom' as const, grants: [] } },
      { contactCenter: { admin: true, queues: {} } },
      { ucClient: { desktop: true, softphone: { enabled: false, clients: [], deviceId: null } } },
    ]) {
      expect(applyAutomaticAssignments(makeUser(change), null).permissions).toContain('website_access');
    }
  });
  it('A2: gives, it does not keep giving: website access taken away from a supervisor stays away; the level stays, blocked by G1', () => {
    const sup = makeUser({ permissions: ['website_access'], supervisorLevel: 'report' });
    const taken = applyAutomaticAssignments({ ...sup, permissions: [] }, sup);
    expect(taken.permissions).toEqual([]);
    expect(taken.supervisorLevel).toBe('report');
    expect(codes(admin, sup, { ...sup, permissions: [] })).toEqual([]);
    // A later save that gives no trigger does not bring it back.
    expect(applyAutomaticAssignments({ ...taken, recordingScope: 'all' }, taken).permissions).toEqual([]);
    const d = explainUser(taken, makeTenant())['reports:view']!;
    expect(d).toMatchObject({ allowed: false, grantedBy: ['supervisor_level:report'] });
    expect(d.blockedBy.map((b) => b.rule)).toEqual(['G1']);
  });
  it('A2: applies when its trigger is given in this change (level from none, a profile, contact admin, UC client)', () => {
    const noWeb = makeUser({ licences: ['essential', 'crm'], permissions: [] });
    const uc = { desktop: true, softphone: { enabled: false, clients: [], deviceId: null } };
    const triggers: Array<[string, Partial<UserAccess>, Partial<UserAccess>]> = [
      ['level raised from none', { supervisorLevel: 'none' }, { supervisorLevel: 'report' }],
      ['a profile newly assigned', {}, { profile: { kind: 'custom', grants: [] } }],
      ['another profile assigned', { profile: { kind: 'custom', grants: [] } }, { profile: { kind: 'superuser' } }],
      ['contact admin turned on', {}, { contactCenter: { admin: true, queues: {} } }],
      ['UC desktop given', {}, { ucClient: uc }],
      ['CRM add-on given', { licences: ['essential'] }, { licences: ['essential', 'crm'] }],
    ];
    for (const [name, was, now] of triggers) {
      const before = { ...noWeb, ...was };
      expect(applyAutomaticAssignments({ ...before, ...now }, before).permissions, name).toContain('website_access');
    }
    const held: Array<[string, Partial<UserAccess>, Partial<UserAccess>]> = [
      ['level kept', { supervisorLevel: 'report' }, {}],
      ['level raised from report', { supervisorLevel: 'report' }, { supervisorLevel: 'live' }],
      ['the same profile', { profile: { kind: 'superuser' } }, {}],
      [
        'custom grants edited',
        { profile: { kind: 'custom', grants: [] } },
        { profile: { kind: 'custom', grants: ['users:view'] } },
      ],
      ['contact admin kept', { contactCenter: { admin: true, queues: {} } }, {}],
      ['UC client kept', { ucClient: uc }, {}],
      ['CRM kept', {}, {}],
    ];
    for (const [name, was, now] of held) {
      const before = { ...noWeb, ...was };
      expect(applyAutomaticAssignments({ ...before, ...now }, before).permissions, name).not.toContain(
        'website_access',
      );
    }
  });
  it('A2, G2: when website access cannot be given for want of a unique email, the whole change is refused', () => {
    expect(
      codes(provider, makeUser(), makeUser({ supervisorLevel: 'report' }), ctx(makeTenant(), { emailTaken: true })),
    ).toContain('G2:email_not_unique');
    expect(codes(provider, makeUser({ email: null }), makeUser({ email: null, supervisorLevel: 'report' }))).toContain(
      'G2:email_required',
    );
  });
  it('A4: leaving the primary group clears it; a primary group outside the groups is refused', () => {
    const before = makeUser({ groups: ['g1', 'g2'], primaryGroup: 'g1' });
    expect(applyAutomaticAssignments({ ...before, groups: ['g2'] }, before).primaryGroup).toBeNull();
    expect(codes(provider, makeUser(), makeUser({ groups: ['g2'], primaryGroup: 'g1' }))).toContain(
      'A4:primary_group_not_member',
    );
  });
});
