import { describe, expect, it } from 'vitest';
import type { ChangeActor } from './actor-bounds.js';
import { validateUserChange, type UserChangeContext } from './change-rules.js';
import { contentLevels, optionAvailability, type DraftDecision } from './option-availability.js';
import type { UserAccess } from './types.js';
import { makeQueue, makeTenant, makeUser } from '../../test/support/access-factories.js';
import { actorWith, provider } from '../../test/support/change-actors.js';

/** The editor's options, weighed by the change rules: each option is the draft changed once more. */

const admin = actorWith('portal:use', 'users:view', 'users:edit', 'users:create');

const ctx = (over: Partial<UserChangeContext> = {}): UserChangeContext => ({
  tenant: makeTenant({ queues: [makeQueue({ id: 'q1' })], profiles: [] }),
  pools: { caps: {}, assigned: {} },
  emailTaken: false,
  otherAdmins: 1,
  groupIds: new Set(),
  workspaceIds: new Set(),
  ...over,
});

function decide(actor: ChangeActor, before: UserAccess, after: UserAccess, c = ctx()): DraftDecision {
  return { actor, before, after, ctx: c, violations: validateUserChange(actor, before, after, c) };
}

const rules = (s: { reasons: Array<{ rule: string }> } | undefined) => s?.reasons.map((r) => r.rule) ?? [];

describe('optionAvailability (X1)', () => {
  const pat = makeUser();

  it('G1: named permissions are disabled before website access, open after it', () => {
    const o = optionAvailability(decide(provider, pat, pat));
    expect(o['permission:manage_users']).toMatchObject({ disabled: true, locked: false });
    expect(rules(o['permission:manage_users'])).toEqual(['G1']);
    const web = { ...pat, permissions: ['website_access' as const] };
    expect(optionAvailability(decide(provider, pat, web))['permission:manage_users']!.disabled).toBe(false);
  });

  it('A1: Essential of a platform user is locked on', () => {
    const o = optionAvailability(decide(provider, pat, pat));
    expect(o['licence:essential']).toEqual({
      disabled: true,
      locked: true,
      reasons: [expect.objectContaining({ rule: 'A1' })],
    });
  });

  it('C2, C3: an admin without billing or superuser sees why', () => {
    const o = optionAvailability(decide(admin, pat, pat));
    // C2 warns (the save needs Manage Billable Items) without greying the option.
    expect(o['licence:crm']).toMatchObject({ disabled: false, reasons: [{ rule: 'C2' }] });
    expect(rules(o['profile.superuser'])).toEqual(['C3']);
    expect(optionAvailability(decide(provider, pat, pat))['licence:crm']!.disabled).toBe(false);
  });

  it('C1: an actor who may not change users finds every option closed by C1', () => {
    const o = optionAvailability(decide(actorWith('users:view'), pat, pat));
    const weighed = Object.entries(o).filter(([id]) => id !== 'extension' && id !== 'devices');
    expect(weighed.length).toBeGreaterThan(20);
    expect(weighed.every(([, s]) => s.disabled && s.reasons.some((r) => r.rule === 'C1'))).toBe(true);
  });

  it('G14, C7: queue roles of a manual user; an actor without cc:admin', () => {
    const manual = makeUser({ source: 'manual', licences: [] });
    expect(rules(optionAvailability(decide(provider, manual, manual))['queue.agent'])).toContain('G14');
    expect(rules(optionAvailability(decide(admin, pat, pat))['queue.supervisor'])).toContain('C7');
  });

  it('C4: the last admin’s website access is locked on', () => {
    const last = makeUser({ source: 'manual', licences: [], permissions: ['website_access', 'manage_users'] });
    const o = optionAvailability(decide(provider, last, last, ctx({ otherAdmins: 0 })));
    expect(o['permission:website_access']).toMatchObject({ disabled: true, locked: true });
    expect(rules(o['permission:website_access'])).toEqual(['C4']);
  });

  it('G3: an option on in the draft carries the violation turning it off clears, and stays enabled', () => {
    const manual = makeUser({ source: 'manual', licences: [] });
    const draft = { ...manual, ucClient: { ...manual.ucClient, desktop: true } };
    const o = optionAvailability(decide(provider, manual, draft));
    expect(o['ucClient.desktop']).toMatchObject({ disabled: false, reasons: [{ rule: 'G3' }] });
  });

  it('C5: extension and devices are locked, the phone system’s', () => {
    const o = optionAvailability(decide(provider, pat, pat));
    expect(o['extension']).toMatchObject({ disabled: true, locked: true, reasons: [{ rule: 'C5' }] });
    expect(rules(o['devices'])).toEqual(['C5']);
  });

  it('G15: profile content the level does not sell names the level', () => {
    const u = makeUser({ permissions: ['website_access'], profile: { kind: 'custom', grants: ['reports:view'] } });
    expect(contentLevels(u, ctx())).toEqual([expect.objectContaining({ capability: 'reports:view', level: 'report' })]);
    expect(contentLevels({ ...u, supervisorLevel: 'report' }, ctx())).toEqual([]);
  });
});
