import { describe, expect, it } from 'vitest';
import { rollupPlan, wholeHourOffsets } from './report-rollup.js';

const at = (iso: string) => new Date(iso);
const period = { from: at('2026-11-02T09:20:00Z'), to: at('2026-11-05T17:10:00Z') };

describe('the calls rollup: which reports it answers', () => {
  it('answers the whole hours inside the period, the ends are read from the calls', () => {
    expect(rollupPlan(period, 'group', 'UTC')).toEqual({
      grain: 'group',
      from: at('2026-11-02T10:00:00Z'),
      to: at('2026-11-05T17:00:00Z'),
    });
    expect(rollupPlan({ from: at('2026-11-02T09:20:00Z'), to: at('2026-11-02T10:50:00Z') }, 'user', 'UTC')).toBeNull();
  });

  it('picks the grain by dimension and filters; a number, or a user or group on per-call reports, reads the calls', () => {
    expect(rollupPlan(period, 'user', 'UTC')?.grain).toBe('user');
    expect(rollupPlan({ ...period, user: 'usr_1' }, 'group', 'UTC')?.grain).toBe('user');
    expect(rollupPlan({ ...period, group: 'grp_1' }, 'group', 'UTC')?.grain).toBe('group');
    for (const by of ['queue', 'hour', 'day'] as const) {
      expect(rollupPlan(period, by, 'UTC')?.grain).toBe('call');
      expect(rollupPlan({ ...period, user: 'usr_1' }, by, 'UTC')).toBeNull();
      expect(rollupPlan({ ...period, group: 'grp_1' }, by, 'UTC')).toBeNull();
    }
    expect(rollupPlan({ ...period, number: '201' }, 'group', 'UTC')).toBeNull();
  });

  it('buckets hours and days of a zone only while its offset is whole hours', () => {
    expect(rollupPlan(period, 'day', 'Europe/Warsaw')).not.toBeNull();
    expect(rollupPlan(period, 'hour', 'America/New_York')).not.toBeNull();
    expect(rollupPlan(period, 'hour', 'Asia/Kolkata')).toBeNull();
    expect(rollupPlan(period, 'day', 'Asia/Kathmandu')).toBeNull();
    // Queues, users and groups have no buckets: any zone.
    expect(rollupPlan(period, 'queue', 'Asia/Kolkata')).not.toBeNull();
    // Lord Howe Island: +11 in (southern) summer, +10:30 in winter.
    const jan = at('2026-01-10T00:00:00Z').getTime();
    const jul = at('2026-07-10T00:00:00Z').getTime();
    expect(wholeHourOffsets('Australia/Lord_Howe', jan, jan + 86_400_000)).toBe(true);
    expect(wholeHourOffsets('Australia/Lord_Howe', jul, jul + 86_400_000)).toBe(false);
    expect(wholeHourOffsets('Australia/Lord_Howe', jan, jul)).toBe(false);
  });
});
