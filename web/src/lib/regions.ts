import { REGION_CODES } from '../../../src/contract/index.js';

/**
 * ISO 3166-1 alpha-2 regions for the dial-restriction picker (SPEC F3): names come from
 * `Intl.DisplayNames` in the portal's language, so the list needs no translation of its own.
 */

/**
 * The codes offered are the server's own (`REGION_CODES`, the phone-number metadata's list, through
 * the contract): the picker offers nothing the server would refuse.
 */
const CODES = new Set(REGION_CODES);

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
  for (const code of REGION_CODES) {
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
