import { expect } from 'vitest';

/**
 * Asymmetric matchers for object patterns (`toMatchObject({ id: anyString })`), typed `unknown`:
 * vitest types `expect.any(…)` as `any`, which the type-aware linter (no-unsafe-assignment) refuses
 * inside an object literal.
 */
export const anyString: unknown = expect.any(String);
export const anyNumber: unknown = expect.any(Number);
