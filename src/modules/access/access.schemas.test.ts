import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateAsBody } from '../../http/validation.js';
import { CheckBody, isPlainCheckBody } from './access.schemas.js';

/** Bodies near the schema's edges: lengths at and past the bounds, odd keys and types, surrogate pairs. */
const text = fc.oneof(
  fc.string({ minLength: 0, maxLength: 3 }),
  fc.string({ minLength: 98, maxLength: 102 }),
  fc.string({ unit: 'grapheme', minLength: 60, maxLength: 110 }),
  fc.constantFrom('users:view', 'queue:join', 'queue:q1', ''),
);
const check = fc.record(
  {
    userId: fc.oneof(text, fc.integer(), fc.constant(null)),
    capability: fc.oneof(text, fc.boolean()),
    resource: fc.oneof(text, fc.string({ minLength: 195, maxLength: 205 }), fc.constant(undefined)),
    other: fc.string(),
  },
  { requiredKeys: [] },
);
const body = fc.record(
  {
    checks: fc.oneof(fc.array(check, { minLength: 0, maxLength: 4 }), fc.constant('x'), fc.constant(null)),
    explain: fc.oneof(fc.boolean(), fc.constant('true'), fc.constant(null)),
    minVersion: fc.oneof(fc.nat(), fc.integer({ min: -3, max: -1 }), fc.double(), fc.constant(2 ** 60)),
    extra: fc.nat(),
  },
  { requiredKeys: [] },
);

describe('CheckBody fast path', () => {
  it('X2, E2: passes only bodies the schema accepts, with the same default (property)', () => {
    fc.assert(
      fc.property(body, (b) => {
        const copy = structuredClone(b) as Record<string, unknown>;
        if (isPlainCheckBody(b)) {
          expect(validateAsBody(CheckBody, copy)).toBeNull();
          expect(b).toEqual(copy); // the schema's default (`explain: true`) applied the same way
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('passes the ordinary batch, and leaves edge cases to the schema', () => {
    const ok = { checks: [{ userId: 'usr_1', capability: 'queue:join', resource: 'queue:q1' }] };
    expect(isPlainCheckBody(ok)).toBe(true);
    expect(ok).toMatchObject({ explain: true });
    expect(isPlainCheckBody({ checks: Array.from({ length: 1000 }, () => ({ userId: 'u', capability: 'c' })) })).toBe(
      true,
    );
    expect(isPlainCheckBody({ checks: Array.from({ length: 1001 }, () => ({ userId: 'u', capability: 'c' })) })).toBe(
      false,
    );
    expect(isPlainCheckBody({ checks: [] })).toBe(false);
    expect(isPlainCheckBody({ checks: [{ userId: '', capability: 'c' }] })).toBe(false);
    expect(isPlainCheckBody({ checks: [{ userId: 'u', capability: 'c', extra: 1 }] })).toBe(false);
    expect(isPlainCheckBody({ checks: [{ userId: 'u', capability: 'c' }], explain: 'no' })).toBe(false);
    // 101 UTF-16 units but 51 code points: valid, decided by the schema, not the fast path.
    const wide = '😀'.repeat(50) + 'a';
    expect(isPlainCheckBody({ checks: [{ userId: wide, capability: 'c' }] })).toBe(false);
    expect(validateAsBody(CheckBody, { checks: [{ userId: wide, capability: 'c' }] })).toBeNull();
  });
});
