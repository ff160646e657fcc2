import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/**
 * Throw-away embedded databases (`memory://`: tests, benches) start from a copy of a freshly
 * initialised data directory instead of running initdb each time: initdb costs about 4 s of CPU in a
 * fresh process, loading the copy under 1 s (measured on this machine, load average 18). The copy is
 * made by the first such database after its initdb, before anything is written to it, and kept per
 * PGlite version in the temporary folder (written to a private name, then renamed, so processes
 * racing to make it never read half a file). A copy that does not load is removed and initdb runs.
 */
export async function openThrowAwayPglite(options: PGliteOptions, templateDir: string = tmpdir()): Promise<PGlite> {
  const file = templatePath(templateDir);
  if (file && existsSync(file)) {
    try {
      const pglite = new PGlite({ ...options, loadDataDir: new Blob([readFileSync(file)]) });
      await pglite.waitReady;
      return pglite;
    } catch {
      rmSync(file, { force: true });
    }
  }
  const pglite = new PGlite(options);
  await pglite.waitReady;
  if (file) await saveTemplate(pglite, file);
  return pglite;
}

async function saveTemplate(pglite: PGlite, file: string): Promise<void> {
  const part = `${file}.${process.pid}.part`;
  try {
    writeFileSync(part, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    renameSync(part, file);
  } catch {
    // A read-only or full temporary folder: every throw-away database runs initdb, as before.
    rmSync(part, { force: true });
  }
}

/** One template per PGlite version (its data directory format); null when the version is unknown. */
function templatePath(dir: string): string | null {
  try {
    for (let at = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')); ; at = dirname(at)) {
      const pkg = join(at, 'package.json');
      if (existsSync(pkg)) {
        const { name, version } = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
        if (name === '@electric-sql/pglite' && version) return join(dir, `switchboard-pglite-${version}.tar`);
      }
      if (dirname(at) === at) return null;
    }
  } catch {
    return null;
  }
}
