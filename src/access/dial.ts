import libphonenumber, { type RegionCode } from 'google-libphonenumber';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Dial checks (SPEC F3, F5): may this user call or text this number, and why? Pure, so the server's
 * dial-check API and the client SDK's `canDial` (evaluated locally from the last configuration)
 * share one implementation and can never disagree on what both can know.
 *
 * Two phone-number libraries, each for what only it has: libphonenumber-js parses and validates
 * full numbers (small, ESM, already the parser of record); google-libphonenumber carries Google's
 * short-number metadata, the well-kept source of every region's emergency numbers, which
 * libphonenumber-js leaves out by design.
 */

export type DialChannel = 'call' | 'sms';

/** What a dial check reads: the `features` section of the effective configuration. */
export interface DialPolicy {
  calls: boolean;
  sms: boolean;
  dialRestriction: { enabled: boolean; homeRegion: string; allowedRegions: readonly string[] };
}

/**
 * Why a dial check answered as it did. Allowed: `emergency` (F5), `internal` (F5: an extension of
 * the tenant or a feature code), `home_region` (F3), `allowed_region` (F3), `unrestricted` (F3: no
 * restriction applies). Refused: `invalid_number` (F3), `restricted` (F3), or the reason the
 * channel is closed (`channel_not_allowed` F1, `plan_feature_missing` G8, …; see ChannelBlock).
 */
export type DialReason =
  'emergency' | 'internal' | 'home_region' | 'allowed_region' | 'unrestricted' | 'invalid_number' | 'restricted';

/**
 * The answer of the dial-check API (API.md). `region` is the number's ISO 3166 region when it
 * parsed (the dialling region for an emergency number, null for internal calls); `internal` says
 * whether the number is an internal call (extension or feature code). `code` always says why;
 * `rule` names the SPEC rule (absent only from the SDK's answers made without any configuration).
 */
export interface DialDecision {
  allowed: boolean;
  region: string | null;
  internal: boolean;
  code: string;
  rule?: string;
}

/** Why the channel itself is closed, when the caller knows better than "not allowed" (e.g. G8 plan). */
export interface ChannelBlock {
  code: string;
  rule: string;
}

/** What the caller knows beyond the configuration. */
export interface DialFacts {
  /** The reason the channel is closed, when it is (defaults to F1 `channel_not_allowed`). */
  channelBlock?: ChannelBlock | undefined;
  /**
   * Whether the number is one of the tenant's extensions (F5). Only the server can know (it looks
   * the number up among the tenant's users); the SDK leaves it unset.
   */
  isExtension?: boolean | undefined;
}

/** The parsed number: E.164 form and region, or null when it does not parse into a valid number. */
export interface ParsedNumber {
  e164: string;
  region: string | null;
}

const shortNumbers = libphonenumber.ShortNumberInfo.getInstance();
const phoneNumbers = libphonenumber.PhoneNumberUtil.getInstance();
const { FROM_NUMBER_WITH_PLUS_SIGN, FROM_NUMBER_WITH_IDD } = libphonenumber.PhoneNumber.CountryCodeSource;

/** Visual separators people and phones put in numbers; nothing else is tolerated around digits. */
const SEPARATORS = /[\s().\-\u00a0]/g;

/**
 * Feature codes (F5): a leading `*` or `#` (one or two, as in `*#06#` or `##002#`), one to four
 * digits, an optional closing `#`: `*72`, `*67`, `#31#`, `*98`. Codes that carry a target number
 * (`*72 0044…`, `**21*+44…#`) are not feature codes: they could forward calls anywhere, past the
 * restriction, so they fall through to the number rules (and are refused as `invalid_number`).
 */
const FEATURE_CODE = /^[*#]{1,2}\d{1,4}#?$/;

/** An extension as dialled: digits only, once separators are dropped (at most the E.164 length). */
const EXTENSION = /^\d{1,15}$/;

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
 * Whether `number` reaches an emergency service of the dialling region `region` (F5), from
 * Google's short-number metadata: `112`, `997` in PL, `911` in US, `000` in AU, `110` in DE… The
 * number must be exactly the emergency number (separators aside), or it with the dialling region's
 * own country code in front (`+48 112`, `0048 112` from PL, `+1 911` from the US): phones and
 * networks route those to the same service. Another region's emergency number (`911` from PL,
 * `+49 110` from PL) is not one.
 */
export function isEmergencyNumber(number: string, region: string): boolean {
  if (typeof number !== 'string' || number.length > 64) return false;
  const compact = number.replace(SEPARATORS, '');
  // Digits only (and a leading +): the library itself would also read "1a1b2" as 112.
  if (!/^\+?\d{1,20}$/.test(compact)) return false;
  const home = region.toUpperCase() as RegionCode;
  if (!compact.startsWith('+') && shortNumbers.isEmergencyNumber(compact, home)) return true;
  // "+<another country's code>…" cannot be: country codes are prefix-free, so the parse below would
  // find another code. Most foreign numbers (the ones a restriction is about) stop here, unparsed.
  if (compact.startsWith('+') && !compact.startsWith(`+${phoneNumbers.getCountryCodeForRegion(home)}`)) return false;
  let parsed;
  try {
    parsed = phoneNumbers.parseAndKeepRawInput(compact, home);
  } catch {
    return false;
  }
  const source = parsed.getCountryCodeSource();
  if (source !== FROM_NUMBER_WITH_PLUS_SIGN && source !== FROM_NUMBER_WITH_IDD) return false;
  if (parsed.getCountryCode() !== phoneNumbers.getCountryCodeForRegion(home)) return false;
  return shortNumbers.isEmergencyNumber(phoneNumbers.getNationalSignificantNumber(parsed), home);
}

/** Whether `number` is a feature code of the phone system (`*72`, `#31#`; see FEATURE_CODE). */
export function isFeatureCode(number: string): boolean {
  return typeof number === 'string' && number.length <= 64 && FEATURE_CODE.test(number.replace(SEPARATORS, ''));
}

/**
 * The form in which `number` could be one of the tenant's extensions (digits, separators dropped),
 * or null when it cannot be one (a `+`, letters, too long). The server looks this up among the
 * tenant's users' `extension` values and passes the result as `DialFacts.isExtension`.
 */
export function extensionCandidate(number: string): string | null {
  if (typeof number !== 'string' || number.length > 64) return null;
  const compact = number.replace(SEPARATORS, '');
  return EXTENSION.test(compact) ? compact : null;
}

/**
 * Decides one dial check (F1, F3, F5). Order:
 * 1. an emergency number of the home (dialling) region is allowed, whatever the restriction, plan,
 *    channel or account state (`emergency`, F5);
 * 2. the channel must be on (its block reason comes from the caller when known, else F1);
 * 3. a feature code or one of the tenant's extensions is an internal call, allowed under any
 *    restriction (`internal`, F5, `region: null`);
 * 4. the number must parse (`invalid_number`, F3);
 * 5. the home region is always allowed (`home_region`); without a restriction every other number
 *    is too (`unrestricted`); with one, listed regions are (`allowed_region`) and the rest refused
 *    (`restricted`). Numbers without a region (non-geographic, e.g. +800) are refused under a
 *    restriction: they cannot be shown to stay inside the allowed regions.
 */
export function checkDial(
  policy: DialPolicy,
  number: string,
  channel: DialChannel,
  facts: DialFacts = {},
): DialDecision & { rule: string } {
  const home = policy.dialRestriction.homeRegion.toUpperCase();
  const known = classify(number, home);
  if (known.emergency) return answer(true, home, false, 'emergency', 'F5');

  const internal = known.featureCode || facts.isExtension === true;
  const parsed = internal ? null : known.parsed;
  const region = parsed?.region ?? null;
  const channelOn = channel === 'call' ? policy.calls : policy.sms;
  if (!channelOn) {
    const block = facts.channelBlock ?? { code: 'channel_not_allowed', rule: 'F1' };
    return { allowed: false, region, internal, code: block.code, rule: block.rule };
  }
  if (internal) return answer(true, null, true, 'internal', 'F5');
  if (!parsed) return answer(false, null, false, 'invalid_number', 'F3');
  if (region === home) return answer(true, region, false, 'home_region', 'F3');
  const restriction = policy.dialRestriction;
  if (!restriction.enabled) return answer(true, region, false, 'unrestricted', 'F3');
  if (region !== null && restriction.allowedRegions.some((r) => r.toUpperCase() === region))
    return answer(true, region, false, 'allowed_region', 'F3');
  return answer(false, region, false, 'restricted', 'F3');
}

/** What a number is, dialled from a home region: the same number is dialled again and again, so it is kept. */
interface NumberFacts {
  emergency: boolean;
  featureCode: boolean;
  parsed: ParsedNumber | null;
}
const classified = new Map<string, NumberFacts>();
/** Numbers remembered; past this many the memory starts afresh (a bound, not an LRU: misses only cost a parse). */
const CLASSIFIED_MAX = 50_000;

function classify(number: string, home: string): NumberFacts {
  const key = `${home} ${number}`;
  let facts = classified.get(key);
  if (facts) return facts;
  facts = {
    emergency: isEmergencyNumber(number, home),
    featureCode: isFeatureCode(number),
    parsed: parseDialledNumber(number, home),
  };
  if (number.length > 64) return facts;
  if (classified.size >= CLASSIFIED_MAX) classified.clear();
  classified.set(key, facts);
  return facts;
}

function answer(
  allowed: boolean,
  region: string | null,
  internal: boolean,
  code: DialReason,
  rule: 'F3' | 'F5',
): DialDecision & { rule: string } {
  return { allowed, region, internal, code, rule };
}
