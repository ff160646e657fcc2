import { describe, expect, it } from 'vitest';
import type { QueueRow, UserRow } from '../../db/schema.js';
import { AppError } from '../../infra/errors.js';
import {
  applyPortalOverrides,
  OVERRIDABLE_FIELDS,
  presentPhoneSystem,
  refuseQueueSettingsChange,
  USER_FIELD_OWNERSHIP,
} from './ownership.js';

/** The columns these rules read; the rest of a row does not matter to them. */
const row = (over: Partial<UserRow>): UserRow =>
  ({
    source: 'platform',
    display_name: 'Ada Lovelace',
    email: 'ada@pbx.example',
    platform_display_name: 'Ada Lovelace',
    platform_email: 'ada@pbx.example',
    display_name_overridden: false,
    email_overridden: false,
    ...over,
  }) as UserRow;

const queue = (over: Partial<QueueRow>): QueueRow =>
  ({ external_id: 'q-sales', name: 'Sales', kind: 'queue', wrap_up_seconds: 30, ...over }) as QueueRow;

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, rule: e.rule, field: e.field };
    throw e;
  }
  return null;
};

describe('ownership (P4)', () => {
  it('P4: display name and email are the only fields the phone system owns with a portal override', () => {
    expect(OVERRIDABLE_FIELDS).toEqual(['displayName', 'email']);
    expect(USER_FIELD_OWNERSHIP.acdQueueIds.owner).toBe('phone_system');
    expect(USER_FIELD_OWNERSHIP.contactCenter.owner).toBe('portal');
  });

  it('P4: a portal edit that differs from the phone system overrides; the phone system value ends the override', () => {
    expect(applyPortalOverrides(row({}), { displayName: 'Ada (portal)' }, []).columns).toEqual({
      display_name_overridden: true,
    });
    expect(applyPortalOverrides(row({}), { displayName: 'Ada Lovelace', email: null }, []).columns).toEqual({
      display_name_overridden: false,
      email_overridden: true,
    });
    expect(applyPortalOverrides(row({}), { permissions: [] }, []).columns).toEqual({});
  });

  it('P4: a reset sets the phone system value and ends the override', () => {
    const overridden = row({ display_name: 'Ada (portal)', display_name_overridden: true, platform_email: null });
    expect(applyPortalOverrides(overridden, {}, ['displayName', 'email'])).toEqual({
      patch: { displayName: 'Ada Lovelace', email: null },
      columns: { display_name_overridden: false, email_overridden: false },
    });
    expect(presentPhoneSystem(overridden)).toEqual({
      displayName: 'Ada Lovelace',
      email: null,
      overrides: ['displayName'],
    });
  });

  it('P4: a manual user has no phone system values to reset to', () => {
    expect(refusal(() => applyPortalOverrides(row({ source: 'manual' }), {}, ['email']))).toEqual({
      code: 'platform_user_required',
      rule: 'P4',
      field: '/field',
    });
    expect(presentPhoneSystem(row({ source: 'manual' }))).toBeNull();
  });

  it("P4: a phone system queue's settings are refused when they change; a portal queue's are the portal's", () => {
    expect(refusal(() => refuseQueueSettingsChange(queue({}), { wrapUpSeconds: 0 }))).toEqual({
      code: 'read_only_field',
      rule: 'P4',
      field: '/wrapUpSeconds',
    });
    expect(refusal(() => refuseQueueSettingsChange(queue({}), { name: 'Sales', wrapUpSeconds: 30 }))).toBeNull();
    expect(refusal(() => refuseQueueSettingsChange(queue({ external_id: null }), { wrapUpSeconds: 0 }))).toBeNull();
  });
});
