import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  BILLABLE_KEYS,
  LICENCES,
  NAMED_PERMISSIONS,
  PROFILE_MODULES,
  SUPERVISOR_LEVELS,
} from '../../../src/contract/index.js';
import { CATALOGS, LANGUAGES, makeTranslator, pluralForm, isPlural, type Message } from './index.js';
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
      ['licence', LICENCES],
      ['supervisorLevel', SUPERVISOR_LEVELS],
      ['permission', NAMED_PERMISSIONS],
      ['permissionHelp', NAMED_PERMISSIONS],
      ['module', PROFILE_MODULES],
      ['billable', BILLABLE_KEYS],
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
/** Every text of a message: the message itself, or each of its plural forms. */
function forms(message: Message): string[] {
  return isPlural(message) ? Object.values(message) : [message];
}
/** The plural categories `Intl.PluralRules` uses for a language, sorted. */
function categories(lang: string): string[] {
  return [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
}

const english: Record<string, Message> = en;
const pluralKeys = Object.keys(english).filter((k) => isPlural(english[k]));
const translations = Object.entries(CATALOGS).filter(([lang]) => lang !== 'en') as Array<
  [string, Record<string, Message>]
>;

describe('English catalog', () => {
  it('has plural messages for counted things, each with exactly the English forms', () => {
    expect(pluralKeys).toEqual(
      expect.arrayContaining([
        'users.loaded',
        'editor.unsaved',
        'summary.billableAdd',
        'bulk.apply',
        'profiles.holders',
      ]),
    );
    const wrong = pluralKeys.filter(
      (k) =>
        Object.keys(english[k] as object)
          .sort()
          .join() !== categories('en').join(),
    );
    expect(wrong).toEqual([]);
  });
  it('has a {count} in every plural form, and the same placeholders in each', () => {
    const wrong = pluralKeys.filter((k) => {
      const all = forms(english[k]!).map((f) => placeholders(f).join());
      return !all.every((p) => p === all[0]) || !placeholders(forms(english[k]!)[0]!).includes('count');
    });
    expect(wrong).toEqual([]);
  });
});

describe.each(translations)('%s translation', (lang, messages) => {
  it('has exactly the keys of en.ts, none missing and none extra', () => {
    const missing = Object.keys(english).filter((k) => !Object.hasOwn(messages, k));
    const extra = Object.keys(messages).filter((k) => !Object.hasOwn(english, k));
    expect({ missing, extra }, lang).toEqual({ missing: [], extra: [] });
  });
  it('has no empty message', () => {
    const empty = Object.entries(messages)
      .filter(
        ([, m]) =>
          !(typeof m === 'string' || isPlural(m)) || forms(m).some((f) => typeof f !== 'string' || f.trim() === ''),
      )
      .map(([k]) => k);
    expect(empty, lang).toEqual([]);
  });
  it('is plural exactly where English is, with every form Intl.PluralRules needs for the language and no other', () => {
    const need = categories(lang).join();
    const wrong = Object.keys(english)
      .filter((k) => k in messages)
      .flatMap((k) => {
        const m = messages[k]!;
        if (isPlural(english[k]) !== isPlural(m))
          return [`${k}: ${isPlural(m) ? 'plural' : 'not plural'} unlike English`];
        if (isPlural(m) && Object.keys(m).sort().join() !== need)
          return [`${k}: forms {${Object.keys(m).sort().join()}}, ${lang} needs {${need}}`];
        return [];
      });
    expect(wrong, lang).toEqual([]);
  });
  it('keeps the placeholders of every English message (in every plural form)', () => {
    const differing = Object.keys(english)
      .filter((k) => k in messages)
      .flatMap((k) => {
        const want = placeholders(forms(english[k]!).at(-1)!).join();
        return forms(messages[k]!)
          .filter((f) => placeholders(f).join() !== want)
          .map((f) => `${k}: en {${want}} vs ${lang} {${placeholders(f).join()}} in "${f}"`);
      });
    expect(differing, lang).toEqual([]);
  });
  it('keeps the rule ids the English message cites', () => {
    const differing = Object.keys(english)
      .filter((k) => k in messages)
      .filter((k) => forms(messages[k]!).some((f) => ruleIds(f).join() !== ruleIds(forms(english[k]!)[0]!).join()));
    expect(differing, lang).toEqual([]);
  });
});

describe('plural choice', () => {
  const tr = (lang: string) => makeTranslator(lang).t;
  it('picks one or other in English', () => {
    expect(tr('en')('users.loaded', { count: 1 })).toBe('1 user');
    expect(tr('en')('users.loaded', { count: 0 })).toBe('0 users');
    expect(tr('en')('users.loaded', { count: 2 })).toBe('2 users');
    expect(tr('en')('editor.unsaved', { count: 1 })).toBe('1 unsaved change');
    expect(tr('en')('editor.unsaved', { count: 3 })).toBe('3 unsaved changes');
    expect(tr('en')('summary.billableAdd', { count: 1, licence: 'Agent add-on' })).toBe('Adds 1 Agent add-on licence');
    expect(tr('en')('summary.billableAdd', { count: 2, licence: 'Agent add-on' })).toBe('Adds 2 Agent add-on licences');
    expect(tr('en')('bulk.apply', { count: 1 })).toBe('Apply to 1 user');
  });
  it('picks one, few, many and other in Polish', () => {
    const t = tr('pl');
    expect(t('editor.unsaved', { count: 1 })).toBe('1 niezapisana zmiana');
    expect(t('editor.unsaved', { count: 2 })).toBe('2 niezapisane zmiany');
    expect(t('editor.unsaved', { count: 4 })).toBe('4 niezapisane zmiany');
    expect(t('editor.unsaved', { count: 5 })).toBe('5 niezapisanych zmian');
    expect(t('editor.unsaved', { count: 12 })).toBe('12 niezapisanych zmian');
    expect(t('editor.unsaved', { count: 22 })).toBe('22 niezapisane zmiany');
    expect(t('editor.unsaved', { count: 0 })).toBe('0 niezapisanych zmian');
    expect(t('editor.unsaved', { count: 1.5 })).toBe('1.5 niezapisanej zmiany');
    expect(t('summary.billableAdd', { count: 1, licence: 'Agent' })).toBe('Dodaje 1 licencję Agent');
    expect(t('users.loaded', { count: 21 })).toBe('21 użytkowników');
  });
  it('picks the Spanish many form for millions, and the only form in Indonesian', () => {
    expect(tr('es')('users.loaded', { count: 1 })).toBe('1 usuario');
    expect(tr('es')('users.loaded', { count: 1000000 })).toBe('1000000 de usuarios');
    expect(tr('es')('users.loaded', { count: 7 })).toBe('7 usuarios');
    expect(tr('id')('users.loaded', { count: 1 })).toBe('1 pengguna');
    expect(tr('de')('profiles.holders', { count: 1 })).toBe('1 Benutzer hat dieses Profil');
    expect(tr('de')('profiles.holders', { count: 2 })).toBe('2 Benutzer haben dieses Profil');
  });
  it('uses other when the count is missing or not a number, and reads numeric strings', () => {
    expect(pluralForm({ one: 'a', other: 'b' }, 'en', undefined)).toBe('b');
    expect(pluralForm({ one: 'a', other: 'b' }, 'en', '—')).toBe('b');
    expect(pluralForm({ one: 'a', other: 'b' }, 'en', '1')).toBe('a');
    expect(pluralForm('plain', 'pl', 5)).toBe('plain');
    expect(tr('en')('profiles.holders')).toBe('{count} holders');
  });
  it('gives every language a form for every count from 0 to 200 and a fraction', () => {
    for (const { value } of LANGUAGES) {
      const t = tr(value);
      for (const count of [...Array.from({ length: 201 }, (_, i) => i), 1.5, 1000000]) {
        for (const key of pluralKeys)
          expect(t(key, { count, licence: 'X' }), `${value} ${key} ${count}`).toContain(String(count));
      }
    }
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
