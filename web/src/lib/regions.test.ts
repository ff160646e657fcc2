import { describe, expect, it } from 'vitest';
import { filterRegions, isRegionCode, normaliseRegions } from './regions.js';

describe('region picker filtering (F3)', () => {
  it('F3: knows the regions the server accepts, and not the ones it refuses', () => {
    expect(isRegionCode('de')).toBe(true);
    expect(isRegionCode('XK')).toBe(true);
    for (const refused of ['XX', 'AQ', 'BV', 'GS', 'HM', 'PN', 'TF', 'UM']) expect(isRegionCode(refused)).toBe(false);
    expect(filterRegions('antarc').map((r) => r.code)).not.toContain('AQ');
  });
  it('matches an exact code first, then names, in the portal language, ignoring accents', () => {
    expect(filterRegions('de')[0]?.code).toBe('DE');
    expect(filterRegions('germ')[0]).toEqual({ code: 'DE', name: 'Germany' });
    expect(filterRegions('osterr', { locale: 'de' })[0]?.code).toBe('AT');
    expect(filterRegions('niem', { locale: 'pl' })[0]?.code).toBe('DE');
  });
  it('leaves out chosen regions and the home region', () => {
    expect(filterRegions('pol', { exclude: ['PL'] }).map((r) => r.code)).not.toContain('PL');
  });
  it('normalises what is sent: upper case, known codes, no duplicates', () => {
    expect(normaliseRegions(['de', 'DE', ' fr ', 'XX'])).toEqual(['DE', 'FR']);
  });
});
