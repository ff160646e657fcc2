import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BILLABLE_KEYS, LICENCES, NAMED_PERMISSIONS, PROFILE_MODULES, SUPERVISOR_LEVELS } from '../../../src/catalog/index.js';
import { CATALOGS } from './index.js';
import { en } from './en.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) && !f.includes('.test.') ? [p] : [];
  });
}

describe('message catalog', () => {
  it('has an English message for every static key the screens use', () => {
    const keys = new Set<string>();
    for (const file of sources(join(import.meta.dirname, '..'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z][\w.-]+)'/g)) keys.add(m[1]!);
    }
    const missing = [...keys].filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });
  it('names every catalog item (licences, levels, permissions, modules, billable keys)', () => {
    const families: Array<[string, readonly string[]]> = [
      ['licence', LICENCES], ['supervisorLevel', SUPERVISOR_LEVELS], ['permission', NAMED_PERMISSIONS], ['permissionHelp', NAMED_PERMISSIONS],
      ['module', PROFILE_MODULES], ['billable', BILLABLE_KEYS],
    ];
    const missing = families.flatMap(([f, items]) => items.map((i) => `${f}.${i}`)).filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });
  it('offers English, Indonesian, German, Spanish and Polish; translations use only known keys', () => {
    expect(Object.keys(CATALOGS).sort()).toEqual(['de', 'en', 'es', 'id', 'pl']);
    for (const [lang, messages] of Object.entries(CATALOGS)) {
      const unknown = Object.keys(messages).filter((k) => !(k in en));
      expect(unknown, lang).toEqual([]);
    }
  });
});

/** `{name}` placeholders of a message, sorted (a placeholder used twice counts twice). */
function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}
/** Rule ids the message cites (G1, C2, A2...): they are stable names, never translated. */
function ruleIds(message: string): string[] {
  return [...message.matchAll(/\b[A-Z]{1,2}\d{1,2}\b/g)].map((m) => m[0]).sort();
}

const english: Record<string, string> = en;
const translations = Object.entries(CATALOGS).filter(([lang]) => lang !== 'en') as Array<[string, Record<string, string>]>;

describe.each(translations)('%s translation', (lang, messages) => {
  it('has exactly the keys of en.ts, none missing and none extra', () => {
    const missing = Object.keys(english).filter((k) => !Object.hasOwn(messages, k));
    const extra = Object.keys(messages).filter((k) => !Object.hasOwn(english, k));
    expect({ missing, extra }, lang).toEqual({ missing: [], extra: [] });
  });
  it('has no empty message', () => {
    const empty = Object.entries(messages).filter(([, m]) => typeof m !== 'string' || m.trim() === '').map(([k]) => k);
    expect(empty, lang).toEqual([]);
  });
  it('keeps the placeholders of every English message', () => {
    const differing = Object.keys(english).filter((k) => k in messages)
      .filter((k) => placeholders(messages[k]!).join() !== placeholders(english[k]!).join())
      .map((k) => `${k}: en {${placeholders(english[k]!).join(',')}} vs ${lang} {${placeholders(messages[k]!).join(',')}}`);
    expect(differing, lang).toEqual([]);
  });
  it('keeps the rule ids the English message cites', () => {
    const differing = Object.keys(english).filter((k) => k in messages)
      .filter((k) => ruleIds(messages[k]!).join() !== ruleIds(english[k]!).join());
    expect(differing, lang).toEqual([]);
  });
});

describe('placeholder check', () => {
  it('sees a dropped, renamed or extra placeholder', () => {
    expect(placeholders('Apply to {count} users')).toEqual(['count']);
    expect(placeholders('{field}: {from} → {to}')).toEqual(['field', 'from', 'to']);
    expect(placeholders('Auf Benutzer anwenden')).not.toEqual(placeholders('Apply to {count} users'));
    expect(placeholders('Auf {anzahl} Benutzer anwenden')).not.toEqual(placeholders('Apply to {count} users'));
    expect(placeholders('{count} von {count}')).not.toEqual(placeholders('{count} of {total}'));
  });
});
