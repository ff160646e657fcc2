import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Dial checks (SPEC F3): may this user call or text this number? Pure, so the server's dial-check
 * API and the client SDK's `canDial` (evaluated locally from the last configuration) share one
 * implementation and can never disagree.
 */

export type DialChannel = 'call' | 'sms';

/** What a dial check reads: the `features` section of the effective configuration. */
export interface DialPolicy {
  calls: boolean;
  sms: boolean;
  dialRestriction: { enabled: boolean; homeRegion: string; allowedRegions: readonly string[] };
}

/** The answer of the dial-check API (API.md): `region` is the number's ISO 3166 region when it parsed. */
export interface DialDecision {
  allowed: boolean;
  region: string | null;
  code?: string;
  rule?: string;
}

/** Why the channel itself is closed, when the caller knows better than "not allowed" (e.g. G8 plan). */
export interface ChannelBlock {
  code: string;
  rule: string;
}

/** The parsed number: E.164 form and region, or null when it does not parse into a valid number. */
export interface ParsedNumber {
  e164: string;
  region: string | null;
}

/**
 * Parses a dialled number with the tenant's home region as default, so national formats
 * ("030 1234567" in DE) and international prefixes ("0049…", "011…") resolve as a phone would.
 * Numbers libphonenumber-js cannot validate (garbage, too short, unknown ranges) give null.
 * Regions come from the number itself, which for shared calling codes (+1 NANP, +7, +44…) means
 * the area code decides: +1 416 is CA, +1 212 is US.
 */
export function parseDialledNumber(number: string, homeRegion: string): ParsedNumber | null {
  if (typeof number !== 'string' || number.length === 0 || number.length > 64) return null;
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(number, homeRegion.toUpperCase() as CountryCode);
  } catch {
    return null;
  }
  if (!parsed || !parsed.isValid()) return null;
  return { e164: parsed.number, region: parsed.country ?? null };
}

/**
 * Decides one dial check (F1, F3). Order: the channel must be on (its block reason comes from the
 * caller when known, else F1); the number must parse (`invalid_number`); with a dial restriction,
 * the home region is always allowed and others only if listed (`region_not_allowed`). Numbers
 * without a region (non-geographic, e.g. +800) are refused under a restriction: they cannot be
 * shown to stay inside the allowed regions.
 */
export function checkDial(
  policy: DialPolicy,
  number: string,
  channel: DialChannel,
  channelBlock?: ChannelBlock,
): DialDecision {
  const home = policy.dialRestriction.homeRegion.toUpperCase();
  const parsed = parseDialledNumber(number, home);
  const region = parsed?.region ?? null;
  const channelOn = channel === 'call' ? policy.calls : policy.sms;
  if (!channelOn) {
    const block = channelBlock ?? { code: 'channel_not_allowed', rule: 'F1' };
    return { allowed: false, region, code: block.code, rule: block.rule };
  }
  if (!parsed) return { allowed: false, region: null, code: 'invalid_number', rule: 'F3' };
  const restriction = policy.dialRestriction;
  if (!restriction.enabled) return { allowed: true, region };
  if (region === home) return { allowed: true, region };
  if (region !== null && restriction.allowedRegions.some((r) => r.toUpperCase() === region))
    return { allowed: true, region };
  return { allowed: false, region, code: 'region_not_allowed', rule: 'F3' };
}
