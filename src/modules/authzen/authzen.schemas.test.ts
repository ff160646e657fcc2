import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateAsBody } from '../../http/validation.js';
import { EvaluationsRequest, isPlainEvaluationsBody } from './authzen.schemas.js';

/** Values near the schema's edges: lengths at and past the bounds, wrong types, surrogate pairs. */
const text = fc.oneof(
  fc.string({ minLength: 0, maxLength: 3 }),
  fc.string({ minLength: 98, maxLength: 102 }),
  fc.string({ minLength: 198, maxLength: 202 }),
  fc.string({ unit: 'grapheme', minLength: 60, maxLength: 110 }),
  fc.constantFrom('user', 'queue', 'tenant', 'users:view', ''),
);
const anyValue = fc.oneof(fc.constant(null), fc.nat(), fc.boolean(), fc.constant([]), fc.constant({}), text);
const entity = fc.oneof(
  fc.record(
    { type: fc.oneof(text, fc.nat()), id: fc.oneof(text, fc.constant(null)), properties: anyValue },
    { requiredKeys: [] },
  ),
  anyValue,
);
const action = fc.oneof(fc.record({ name: fc.oneof(text, fc.nat()), other: anyValue }, { requiredKeys: [] }), anyValue);
const context = fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), anyValue, { maxKeys: 2 }), anyValue);
const item = fc.oneof(
  fc.record({ subject: entity, action, resource: entity, context, extra: anyValue }, { requiredKeys: [] }),
  anyValue,
);
const body = fc.record(
  {
    subject: entity,
    action,
    resource: entity,
    context,
    evaluations: fc.oneof(fc.array(item, { maxLength: 4 }), anyValue),
    options: fc.oneof(
      fc.record(
        {
          evaluations_semantic: fc.oneof(
            fc.constantFrom('execute_all', 'deny_on_first_deny', 'permit_on_first_permit', 'first_come'),
            anyValue,
          ),
          other: anyValue,
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
    extra: anyValue,
  },
  { requiredKeys: [] },
);

describe('AuthZEN evaluations body fast path', () => {
  it('E2: passes only bodies the schema accepts (property)', () => {
    fc.assert(
      fc.property(body, (b) => {
        if (isPlainEvaluationsBody(b)) expect(validateAsBody(EvaluationsRequest, structuredClone(b))).toBeNull();
      }),
      { numRuns: 3_000 },
    );
  });

  it("passes a PEP's ordinary batch, and leaves edge cases to the schema", () => {
    const one = {
      subject: { type: 'user', id: 'usr_1' },
      action: { name: 'queue:join' },
      resource: { type: 'queue', id: 'q1' },
    };
    expect(isPlainEvaluationsBody({ evaluations: Array.from({ length: 1000 }, () => one) })).toBe(true);
    expect(isPlainEvaluationsBody({ ...one, options: { evaluations_semantic: 'deny_on_first_deny' } })).toBe(true);
    expect(isPlainEvaluationsBody({ evaluations: Array.from({ length: 1001 }, () => one) })).toBe(false);
    expect(isPlainEvaluationsBody({ evaluations: [{ ...one, subject: { type: 'user', id: '' } }] })).toBe(false);
    expect(isPlainEvaluationsBody({ options: { evaluations_semantic: 'first_come' } })).toBe(false);
    expect(isPlainEvaluationsBody({ context: [] })).toBe(false);
    // 201 UTF-16 units but 101 code points: valid, decided by the schema, not the fast path.
    const wide = { ...one, subject: { type: 'user', id: '😀'.repeat(100) + 'a' } };
    expect(isPlainEvaluationsBody(wide)).toBe(false);
    expect(validateAsBody(EvaluationsRequest, wide)).toBeNull();
  });
});
