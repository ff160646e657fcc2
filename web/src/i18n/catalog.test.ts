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
