import { getCountries } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { REGION_CODES } from './regions.js';

describe('region codes (F3)', () => {
  it('F3: the regions offered and accepted are exactly those the phone-number metadata knows', () => {
    expect(REGION_CODES).toEqual([...getCountries()].sort());
    expect(REGION_CODES).not.toContain('AQ');
    expect(REGION_CODES).toContain('PL');
  });
});
