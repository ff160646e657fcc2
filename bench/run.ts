/**
 * Benchmark runner: `npx tsx bench/run.ts [filter]` (or `npm run bench -- [filter]`).
 *
 * Each bench module exports `run(): Promise<string>` returning one Markdown section. The runner
 * re-spawns itself under `node --expose-gc` (memory figures need `global.gc`), runs the benches whose
 * name contains `filter` (all without one), and rewrites only their sections of bench/RESULTS.md, so a
 * filtered run keeps the other benches' last results.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

interface BenchModule {
  run(): Promise<string>;
}

/** The registry: add a bench here (name, loader). Names are what the filter matches. */
const BENCHES: ReadonlyArray<{ name: string; load: () => Promise<BenchModule> }> = [
  { name: 'checks', load: () => import('./checks.bench.js') },
  { name: 'call-data', load: () => import('./call-data.bench.js') },
  { name: 'sync', load: () => import('./sync.bench.js') },
  { name: 'seats', load: () => import('./seats.bench.js') },
  { name: 'stream', load: () => import('./stream.bench.js') },
  { name: 'authzen', load: () => import('./authzen.bench.js') },
  { name: 'webhooks', load: () => import('./webhooks.bench.js') },
  { name: 'csv', load: () => import('./csv.bench.js') },
  { name: 'decisions', load: () => import('./decisions.bench.js') },
  { name: 'scim', load: () => import('./scim.bench.js') },
];

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

function respawnWithGc(): never {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, SWITCHBOARD_BENCH_CHILD: '1' },
  });
  process.exit(child.status ?? 1);
}

function machine(): string {
  const cpus = os.cpus();
  return (
    `Node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`
  );
}

/** Replaces (or appends) the section between `<!-- bench:name -->` markers, keeping everything else. */
function mergeSection(doc: string, name: string, body: string): string {
  const start = `<!-- bench:${name} -->`,
    end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = doc.indexOf(start),
    j = doc.indexOf(end);
  return i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
}

async function main(): Promise<void> {
  if (typeof globalThis.gc !== 'function' && !process.env.SWITCHBOARD_BENCH_CHILD) respawnWithGc();
  const filter = process.argv[2];
  const selected = BENCHES.filter((b) => !filter || b.name.includes(filter));
  if (selected.length === 0)
    throw new Error(`no bench matches "${filter}"; known: ${BENCHES.map((b) => b.name).join(', ')}`);

  for (const bench of selected) {
    process.stdout.write(`bench ${bench.name}...\n`);
    const loadBefore = os.loadavg()[0]!;
    const section = await (await bench.load()).run();
    // The load average says whether other processes shared the CPUs (numbers are noisier when it exceeds the core count).
    const load = `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after`;
    const stamp = `_Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${machine()}; ${load}._`;
    // Re-read just before writing: another run (other benches) may have updated the file meanwhile.
    const current = existsSync(RESULTS)
      ? readFileSync(RESULTS, 'utf8')
      : '# Benchmark results\n\nWritten by `npx tsx bench/run.ts`; see bench/README.md for what each bench measures.\n';
    const doc = mergeSection(current, bench.name, `${section.trim()}\n\n${stamp}`);
    writeFileSync(RESULTS, doc.endsWith('\n') ? doc : `${doc}\n`);
    process.stdout.write(`${section.trim()}\n\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
