import { describe, expect, it } from 'vitest';
import { Windows } from './limits.js';

describe('rate-limit windows', () => {
  it('counts per key in a window that starts at its first request and starts over once passed', () => {
    const w = new Windows(60_000);
    expect(w.spend('a', 1_000)).toEqual({ count: 1, leftMs: 60_000 });
    expect(w.spend('a', 31_000)).toEqual({ count: 2, leftMs: 30_000 });
    expect(w.spend('b', 31_000)).toEqual({ count: 1, leftMs: 60_000 });
    expect(w.spend('a', 60_999)).toEqual({ count: 3, leftMs: 1 });
    expect(w.spend('a', 61_000)).toEqual({ count: 1, leftMs: 60_000 });
    expect(w.spend('b', 61_000)).toEqual({ count: 2, leftMs: 30_000 });
  });

  it('holds at most 10,000 keys: ended windows go first, then the oldest', () => {
    const w = new Windows(60_000);
    for (let i = 0; i < 10_000; i++) w.spend(`k${i}`, i < 5 ? 0 : 50_000);
    // k0..k4 ended at 60,000: a new key drops them, and every live window keeps its count.
    w.spend('new', 60_000);
    expect(w.spend('k5', 60_000).count).toBe(2);
    expect(w.spend('k0', 60_000).count).toBe(1);
    // Full of live windows: the oldest (k6, k7…) make room.
    for (let i = 0; i < 4; i++) w.spend(`more${i}`, 60_001);
    w.spend('last', 60_001);
    expect(w.spend('k6', 60_002).count).toBe(1);
    expect(w.spend('k9999', 60_002).count).toBe(2);
  });
});
