import { describe, expect, it } from 'vitest';
import { makeTranslator } from '../i18n/index.js';
import { auditActionLabel, capabilityLabel, auditActorLabel, auditTargetLabel, personLabel } from './labels.js';

describe('codes in words (AU1 audit log, capabilities)', () => {
  const pl = makeTranslator('pl');
  const de = makeTranslator('de');
  it('AU1: audit action codes, target types and actor kinds are translated; unknown codes stay as sent', () => {
    expect(auditActionLabel(pl, 'user.create')).toBe('Utworzono użytkownika');
    expect(auditActionLabel(de, 'group.delete')).toBe('Gruppe gelöscht');
    expect(auditActionLabel(de, 'something.new')).toBe('something.new');
    expect(auditTargetLabel(pl, 'queue')).toBe('Kolejka');
    expect(auditActorLabel(de, 'platform')).toBe('Telefonanlage');
  });
  it('C1: a capability reads as module and action', () => {
    expect(capabilityLabel(makeTranslator('en'), 'groups:delete')).toBe('Groups: Delete');
    expect(capabilityLabel(de, 'no:such')).toBe('no:such');
    expect(capabilityLabel(pl, 'cc:admin')).toBe('Administracja contact center');
  });
  it('a person is named by display name, else email, else id', () => {
    expect(personLabel({ id: 'u1', displayName: 'Ann', email: 'a@x' })).toBe('Ann');
    expect(personLabel({ id: 'u1', displayName: ' ', email: 'a@x' })).toBe('a@x');
    expect(personLabel({ id: 'u1', displayName: null, email: null })).toBe('u1');
  });
});
