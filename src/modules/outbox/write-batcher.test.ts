import { describe, expect, it } from 'vitest';
import { WriteBatcher } from './write-batcher.js';

/** A write the test finishes by hand, so what arrives during it can be seen. */
function manualWrite() {
  const batches: number[][] = [];
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(items);
      pending.push({ resolve, reject });
    });
  return { batches, pending, write };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('outbox group commit (W1)', () => {
  it('W1: a lone result is written at once; results that end during a write go together in the next one', async () => {
    const m = manualWrite();
    const b = new WriteBatcher(m.write);
    const first = b.add(1);
    await tick();
    expect(m.batches).toEqual([[1]]);
    const later = [b.add(2), b.add(3), b.add(4)];
    await tick();
    expect(m.batches).toEqual([[1]]);
    m.pending[0]!.resolve();
    await first;
    await tick();
    expect(m.batches).toEqual([[1], [2, 3, 4]]);
    m.pending[1]!.resolve();
    await Promise.all(later);
  });

  it('W1: a failed write rejects only the results of its batch (their rows stay leased and come back)', async () => {
    const m = manualWrite();
    const b = new WriteBatcher(m.write);
    const first = b.add(1);
    const second = b.add(2);
    await tick();
    m.pending[0]!.reject(new Error('database went away'));
    await expect(first).rejects.toThrow('database went away');
    await tick();
    expect(m.batches).toEqual([[1], [2]]);
    m.pending[1]!.resolve();
    await expect(second).resolves.toBeUndefined();
  });

  it('W1: a batch holds at most maxBatch results', async () => {
    const m = manualWrite();
    const b = new WriteBatcher(m.write, 2);
    const all = [1, 2, 3, 4, 5].map((n) => b.add(n));
    for (let i = 0; i < 3; i++) {
      await tick();
      m.pending[i]!.resolve();
    }
    await Promise.all(all);
    expect(m.batches).toEqual([[1], [2, 3], [4, 5]]);
  });
});
