import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDial, parseDialledNumber, type DialPolicy } from './dial.js';

function policy(
  overrides: Partial<DialPolicy> & { enabled?: boolean; home?: string; allowed?: string[] } = {},
): DialPolicy {
  return {
    calls: overrides.calls ?? true,
    sms: overrides.sms ?? true,
    dialRestriction: {
      enabled: overrides.enabled ?? true,
      homeRegion: overrides.home ?? 'PL',
      allowedRegions: overrides.allowed ?? ['DE'],
    },
  };
}

describe('parseDialledNumber (F3: home region as default)', () => {
  it.each([
    ['+48 600 000 000', 'PL', 'PL'],
    ['22 123 45 67', 'PL', 'PL'], // national format, home PL
    ['030 1234567', 'DE', 'DE'], // national trunk prefix 0
    ['0049 30 1234567', 'PL', 'DE'], // international prefix from PL
    ['011 44 20 7946 0958', 'US', 'GB'], // NANP international prefix
    ['(416) 555-0123', 'US', 'CA'], // +1 shared: area code decides
    ['+1 212 555 0123', 'PL', 'US'],
    ['+1 242 357 1234', 'PL', 'BS'],
    ['+44 20 7946 0958', 'PL', 'GB'],
  ])('%s with home %s is in %s', (n, home, region) => {
    expect(parseDialledNumber(n, home)?.region).toBe(region);
  });

  it.each(['abc', '', '123', '112', '+', '++48 600', '0'.repeat(100), 'tel:;;;', '+999 123 456'])(
    'garbage %j does not parse',
    (n) => {
      expect(parseDialledNumber(n, 'PL')).toBeNull();
    },
  );

  it('non-geographic numbers parse without a region', () => {
    expect(parseDialledNumber('+800 1234 5678', 'PL')).toEqual({ e164: '+80012345678', region: null });
  });
});

describe('checkDial', () => {
  it('F3: without a restriction every valid number is allowed and its region reported', () => {
    expect(checkDial(policy({ enabled: false }), '+1 212 555 0123', 'call')).toEqual({ allowed: true, region: 'US' });
  });

  it('F3: the home region is always allowed, even when not listed', () => {
    expect(checkDial(policy({ allowed: [] }), '22 123 45 67', 'call')).toEqual({ allowed: true, region: 'PL' });
  });

  it('F3: listed regions are allowed, others refused with region_not_allowed', () => {
    expect(checkDial(policy(), '+49 30 1234567', 'sms')).toEqual({ allowed: true, region: 'DE' });
    expect(checkDial(policy(), '+44 20 7946 0958', 'call')).toEqual({
      allowed: false,
      region: 'GB',
      code: 'region_not_allowed',
      rule: 'F3',
    });
  });

  it('F3: shared calling code +1: allowing US does not allow CA or BS', () => {
    const p = policy({ home: 'PL', allowed: ['US'] });
    expect(checkDial(p, '+1 212 555 0123', 'call').allowed).toBe(true);
    expect(checkDial(p, '+1 416 555 0123', 'call')).toMatchObject({
      allowed: false,
      region: 'CA',
      code: 'region_not_allowed',
    });
    expect(checkDial(p, '+1 242 357 1234', 'call')).toMatchObject({ allowed: false, region: 'BS' });
  });

  it('F3: a US home region dials its national format and Canada only when listed', () => {
    const p = policy({ home: 'US', allowed: [] });
    expect(checkDial(p, '(212) 555-0123', 'call')).toEqual({ allowed: true, region: 'US' });
    expect(checkDial(p, '(416) 555-0123', 'call')).toMatchObject({ allowed: false, region: 'CA' });
    expect(checkDial(policy({ home: 'US', allowed: ['CA'] }), '(416) 555-0123', 'call').allowed).toBe(true);
  });

  it('F3: unparseable numbers are refused with invalid_number, restricted or not', () => {
    expect(checkDial(policy(), 'not a number', 'call')).toEqual({
      allowed: false,
      region: null,
      code: 'invalid_number',
      rule: 'F3',
    });
    expect(checkDial(policy({ enabled: false }), '123', 'sms')).toMatchObject({
      allowed: false,
      code: 'invalid_number',
    });
  });

  it('F3: non-geographic numbers are refused under a restriction, allowed without', () => {
    expect(checkDial(policy(), '+800 1234 5678', 'call')).toMatchObject({
      allowed: false,
      region: null,
      code: 'region_not_allowed',
    });
    expect(checkDial(policy({ enabled: false }), '+800 1234 5678', 'call').allowed).toBe(true);
  });

  it('F1: a closed channel refuses first, with the reason the caller knows (G8) or F1', () => {
    expect(checkDial(policy({ sms: false }), '+48 600 000 000', 'sms')).toEqual({
      allowed: false,
      region: 'PL',
      code: 'channel_not_allowed',
      rule: 'F1',
    });
    expect(
      checkDial(policy({ calls: false }), '+48 600 000 000', 'call', { code: 'plan_feature_missing', rule: 'G8' }),
    ).toMatchObject({ allowed: false, code: 'plan_feature_missing', rule: 'G8' });
    expect(checkDial(policy({ calls: false }), '+48 600 000 000', 'sms').allowed).toBe(true);
  });

  it('F3 (property): any string gets an answer; an allowed number is home or listed when restricted', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.constantFrom('PL', 'US', 'DE'), (n, home) => {
        const d = checkDial(policy({ home, allowed: ['GB'] }), n, 'call');
        if (d.allowed) expect([home, 'GB']).toContain(d.region);
        else expect(['invalid_number', 'region_not_allowed']).toContain(d.code);
      }),
      { numRuns: 300 },
    );
  });
});
