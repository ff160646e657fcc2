/**
 * ISO 3166-1 alpha-2 regions for the dial-restriction picker (SPEC F3): names come from
 * `Intl.DisplayNames` in the portal's language, so the list needs no translation of its own.
 */

/** Every officially assigned ISO 3166-1 alpha-2 code. */
export const ISO_3166_ALPHA2: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

const CODES = new Set(ISO_3166_ALPHA2);

export function isRegionCode(code: string): boolean {
  return CODES.has(code.trim().toUpperCase());
}

const nameCache = new Map<string, Intl.DisplayNames | null>();

/** The region's name in `locale` (falls back to the code when the runtime has no region names). */
export function regionName(code: string, locale = 'en'): string {
  let names = nameCache.get(locale);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([locale, 'en'], { type: 'region' });
    } catch {
      names = null;
    }
    nameCache.set(locale, names);
  }
  try {
    return names?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Lower-case, accent-free form used for matching ("Österreich" matches "osterr"). */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .trim();
}

export interface RegionOption {
  code: string;
  name: string;
}

export interface RegionFilter {
  locale?: string;
  /** Codes not to offer (already chosen, or the home region which is always allowed). */
  exclude?: readonly string[];
  limit?: number;
}

/**
 * Regions matching `query`: an exact code first, then codes starting with it, then names
 * containing it (word starts before inner matches), each group sorted by name.
 */
export function filterRegions(
  query: string,
  { locale = 'en', exclude = [], limit = 50 }: RegionFilter = {},
): RegionOption[] {
  const q = foldText(query);
  const skip = new Set(exclude.map((c) => c.toUpperCase()));
  const ranked: Array<RegionOption & { rank: number }> = [];
  for (const code of ISO_3166_ALPHA2) {
    if (skip.has(code)) continue;
    const name = regionName(code, locale);
    let rank = -1;
    if (!q) rank = 3;
    else if (code.toLowerCase() === q) rank = 0;
    else if (q.length <= 2 && code.toLowerCase().startsWith(q)) rank = 1;
    else {
      const folded = foldText(name);
      if (folded.startsWith(q) || folded.includes(` ${q}`)) rank = 2;
      else if (folded.includes(q)) rank = 3;
    }
    if (rank >= 0) ranked.push({ code, name, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name, locale));
  return ranked.slice(0, limit).map(({ code, name }) => ({ code, name }));
}

/** Upper-cases, drops unknown codes and duplicates, keeps order: what is sent as `allowedRegions`. */
export function normaliseRegions(codes: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of codes) {
    const code = raw.trim().toUpperCase();
    if (CODES.has(code) && !out.includes(code)) out.push(code);
  }
  return out;
}

/** Unicode flag for a region code (regional indicator symbols). */
export function regionFlag(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
