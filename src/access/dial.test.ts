import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDial,
  extensionCandidate,
  isEmergencyNumber,
  isFeatureCode,
  parseDialledNumber,
  type DialPolicy,
} from './dial.js';

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

describe('isEmergencyNumber (F5: short-number metadata of the dialling region)', () => {
  it.each([
    ['112', 'PL'],
    ['997', 'PL'],
    ['998', 'PL'],
    ['999', 'PL'],
    ['+48112', 'PL'], // the dialling region's own country code in front
    ['+48 997', 'PL'],
    ['0048 112', 'PL'], // the same with the international prefix
    ['911', 'US'],
    ['112', 'US'],
    ['+1 911', 'US'],
    ['999', 'GB'],
    ['112', 'GB'],
    ['000', 'AU'],
    ['112', 'AU'],
    ['110', 'DE'],
    ['112', 'DE'],
    ['1 1 2', 'PL'], // separators aside
    ['112', 'pl'], // region in any case
  ])('F5: %s is an emergency number in %s', (n, region) => {
    expect(isEmergencyNumber(n, region)).toBe(true);
  });

  it.each([
    ['911', 'PL'], // another region's emergency number
    ['000', 'PL'],
    ['110', 'PL'],
    ['+49 110', 'PL'], // another region's country code
    ['+49112', 'PL'],
    ['48112', 'PL'], // a country code without + or prefix is not one
    ['1120', 'PL'], // not exactly the emergency number
    ['11', 'PL'],
    ['1a1b2', 'PL'], // letters are not separators
    ['tel:112', 'PL'],
    ['*112', 'PL'],
    ['+48 600 000 000', 'PL'],
    ['', 'PL'],
    ['112', 'ZZ'], // no such region
  ])('F5: %j is not an emergency number in %s', (n, region) => {
    expect(isEmergencyNumber(n, region)).toBe(false);
  });
});

describe('isFeatureCode, extensionCandidate (F5: internal calls)', () => {
  it.each(['*72', '#31#', '*67', '*98', '*#06#', '##002#', '* 72', '*8'])('F5: %j is a feature code', (n) => {
    expect(isFeatureCode(n)).toBe(true);
  });

  it.each(['72', '*', '#', '*72 0044 20 7946 0958', '**21*+442079460958#', '*12345', '*7a', '+*72', '72#'])(
    'F5: %j is not a feature code (a code carrying a target number would bypass the restriction)',
    (n) => {
      expect(isFeatureCode(n)).toBe(false);
    },
  );

  it('F5: an extension candidate is the dialled digits without separators', () => {
    expect(extensionCandidate('1001')).toBe('1001');
    expect(extensionCandidate(' 10-01 ')).toBe('1001');
    expect(extensionCandidate('+48 1001')).toBeNull();
    expect(extensionCandidate('*72')).toBeNull();
    expect(extensionCandidate('ext 1001')).toBeNull();
    expect(extensionCandidate('1'.repeat(16))).toBeNull();
  });
});

describe('checkDial', () => {
  it('F3: without a restriction every valid number is allowed (unrestricted) and its region reported', () => {
    expect(checkDial(policy({ enabled: false }), '+1 212 555 0123', 'call')).toEqual({
      allowed: true,
      region: 'US',
      internal: false,
      code: 'unrestricted',
      rule: 'F3',
    });
  });

  it('F3: the home region is always allowed, even when not listed (home_region)', () => {
    const home = { allowed: true, region: 'PL', internal: false, code: 'home_region', rule: 'F3' };
    expect(checkDial(policy({ allowed: [] }), '22 123 45 67', 'call')).toEqual(home);
    expect(checkDial(policy({ enabled: false }), '+48 600 000 000', 'call')).toEqual(home);
  });

  it('F3: listed regions are allowed (allowed_region), others refused (restricted)', () => {
    expect(checkDial(policy(), '+49 30 1234567', 'sms')).toEqual({
      allowed: true,
      region: 'DE',
      internal: false,
      code: 'allowed_region',
      rule: 'F3',
    });
    expect(checkDial(policy(), '+44 20 7946 0958', 'call')).toEqual({
      allowed: false,
      region: 'GB',
      internal: false,
      code: 'restricted',
      rule: 'F3',
    });
  });

  it('F3: shared calling code +1: allowing US does not allow CA or BS', () => {
    const p = policy({ home: 'PL', allowed: ['US'] });
    expect(checkDial(p, '+1 212 555 0123', 'call')).toMatchObject({ allowed: true, code: 'allowed_region' });
    expect(checkDial(p, '+1 416 555 0123', 'call')).toMatchObject({
      allowed: false,
      region: 'CA',
      code: 'restricted',
    });
    expect(checkDial(p, '+1 242 357 1234', 'call')).toMatchObject({ allowed: false, region: 'BS' });
  });

  it('F3: a US home region dials its national format and Canada only when listed', () => {
    const p = policy({ home: 'US', allowed: [] });
    expect(checkDial(p, '(212) 555-0123', 'call')).toMatchObject({ allowed: true, region: 'US', code: 'home_region' });
    expect(checkDial(p, '(416) 555-0123', 'call')).toMatchObject({ allowed: false, region: 'CA' });
    expect(checkDial(policy({ home: 'US', allowed: ['CA'] }), '(416) 555-0123', 'call').allowed).toBe(true);
  });

  it('F3: unparseable numbers are refused with invalid_number, restricted or not', () => {
    expect(checkDial(policy(), 'not a number', 'call')).toEqual({
      allowed: false,
      region: null,
      internal: false,
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
      code: 'restricted',
    });
    expect(checkDial(policy({ enabled: false }), '+800 1234 5678', 'call')).toMatchObject({
      allowed: true,
      code: 'unrestricted',
    });
  });

  it('F1: a closed channel refuses first, with the reason the caller knows (G8) or F1', () => {
    expect(checkDial(policy({ sms: false }), '+48 600 000 000', 'sms')).toEqual({
      allowed: false,
      region: 'PL',
      internal: false,
      code: 'channel_not_allowed',
      rule: 'F1',
    });
    expect(
      checkDial(policy({ calls: false }), '+48 600 000 000', 'call', {
        channelBlock: { code: 'plan_feature_missing', rule: 'G8' },
      }),
    ).toMatchObject({ allowed: false, code: 'plan_feature_missing', rule: 'G8' });
    expect(checkDial(policy({ calls: false }), '+48 600 000 000', 'sms').allowed).toBe(true);
  });

  describe('F5: emergency numbers of the dialling region are always allowed', () => {
    const emergency = (region: string) => ({ allowed: true, region, internal: false, code: 'emergency', rule: 'F5' });

    it.each(['112', '997', '998', '999', '+48112', '+48 112', '0048112'])(
      'F5: %s from PL under a restriction listing nothing',
      (n) => {
        expect(checkDial(policy({ allowed: [] }), n, 'call')).toEqual(emergency('PL'));
      },
    );

    it.each([
      ['US', '911'],
      ['GB', '999'],
      ['GB', '112'],
      ['AU', '000'],
      ['AU', '112'],
      ['DE', '110'],
      ['DE', '112'],
    ])('F5: home %s dials %s', (home, n) => {
      expect(checkDial(policy({ home, allowed: [] }), n, 'call')).toEqual(emergency(home));
    });

    it('F5: whatever the channel, the plan or the account state', () => {
      const closed = policy({ calls: false, sms: false });
      expect(checkDial(closed, '112', 'call')).toEqual(emergency('PL'));
      expect(checkDial(closed, '112', 'sms')).toEqual(emergency('PL'));
      const g8 = { channelBlock: { code: 'plan_feature_missing', rule: 'G8' } };
      expect(checkDial(closed, '997', 'call', g8)).toEqual(emergency('PL'));
      const g13 = { channelBlock: { code: 'account_inactive', rule: 'G13' } };
      expect(checkDial(closed, '+48 112', 'call', g13)).toEqual(emergency('PL'));
      expect(checkDial(closed, '+48 600 000 000', 'call', g13)).toMatchObject({
        allowed: false,
        code: 'account_inactive',
      });
    });

    it("F5: another region's emergency number is an ordinary (here invalid) number", () => {
      expect(checkDial(policy(), '911', 'call')).toMatchObject({ allowed: false, code: 'invalid_number' });
      expect(checkDial(policy(), '+1 911', 'call')).toMatchObject({ allowed: false, code: 'invalid_number' });
    });
  });

  describe('F5: internal calls (feature codes, the tenant extensions) are allowed under any restriction', () => {
    const internal = { allowed: true, region: null, internal: true, code: 'internal', rule: 'F5' };

    it.each(['*72', '#31#', '*#06#'])('F5: feature code %s', (n) => {
      expect(checkDial(policy({ allowed: [] }), n, 'call')).toEqual(internal);
    });

    it('F5: an extension, when the caller found it among the tenant users', () => {
      expect(checkDial(policy({ allowed: [] }), '1001', 'call', { isExtension: true })).toEqual(internal);
      // Without that knowledge (the SDK) the same digits are judged as a number.
      expect(checkDial(policy({ allowed: [] }), '1001', 'call')).toMatchObject({ code: 'invalid_number' });
    });

    it('F5: a feature code carrying a target number is not internal', () => {
      expect(checkDial(policy({ allowed: [] }), '*72 0044 20 7946 0958', 'call')).toMatchObject({
        allowed: false,
        internal: false,
        code: 'invalid_number',
      });
    });

    it('F1, F5: internal calls still need the channel', () => {
      expect(checkDial(policy({ calls: false }), '*72', 'call')).toEqual({
        allowed: false,
        region: null,
        internal: true,
        code: 'channel_not_allowed',
        rule: 'F1',
      });
    });
  });

  it('F3, F5 (property): any string gets an answer that says why; an allowed number is emergency, internal, home or listed', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[*#+0-9 ]{0,12}$/)),
        fc.constantFrom('PL', 'US', 'DE', 'GB', 'AU'),
        fc.boolean(),
        (n, home, isExtension) => {
          const d = checkDial(policy({ home, allowed: ['GB'] }), n, 'call', { isExtension });
          expect(d.rule).toMatch(/^F[35]$/);
          if (!d.allowed) expect(['invalid_number', 'restricted']).toContain(d.code);
          else if (d.code === 'emergency') expect(d.region).toBe(home);
          else if (d.code === 'internal') expect(d).toMatchObject({ region: null, internal: true });
          else expect([home, 'GB']).toContain(d.region);
          expect(d.internal).toBe(d.code === 'internal');
        },
      ),
      { numRuns: 500 },
    );
  });
});
