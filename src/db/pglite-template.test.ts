import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openThrowAwayPglite } from './pglite-template.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-template-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const templateFile = () => {
  const [name] = readdirSync(dir).filter((f) => f.endsWith('.tar'));
  return name ? join(dir, name) : null;
};
const tables = async (db: Awaited<ReturnType<typeof openThrowAwayPglite>>) =>
  (
    await db.query<{ n: string }>("select table_name as n from information_schema.tables where table_schema = 'public'")
  ).rows.map((r) => r.n);

describe('throw-away embedded databases start from a template of a fresh data directory', () => {
  it('the first one makes the template before anything is written; the next ones start from it', async () => {
    const first = await openThrowAwayPglite({}, dir);
    const file = templateFile();
    expect(file).toMatch(/switchboard-pglite-\d+\.\d+\.\d+\.tar$/);
    await first.exec('create table written_after (x int)');
    const second = await openThrowAwayPglite({}, dir);
    expect(await tables(second)).toEqual([]);

    // What the template holds is what the next database starts with.
    await second.exec('create table from_template (x int)');
    writeFileSync(file!, Buffer.from(await (await second.dumpDataDir('none')).arrayBuffer()));
    const third = await openThrowAwayPglite({}, dir);
    expect(await tables(third)).toEqual(['from_template']);
    await Promise.all([first.close(), second.close(), third.close()]);
  });

  it('a template that does not load is replaced, and the database opens all the same', async () => {
    const file = templateFile() ?? join(dir, 'switchboard-pglite-0.0.0.tar');
    writeFileSync(file, 'not a data directory');
    const db = await openThrowAwayPglite({}, dir);
    expect((await db.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    expect(await tables(db)).toEqual([]);
    expect(statSync(templateFile()!).size).toBeGreaterThan(1_000_000);
    await db.close();
  });
});
