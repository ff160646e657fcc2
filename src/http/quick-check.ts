/**
 * Hand-written checks of hot request bodies (a 1,000-check batch), registered with their schema: a
 * check that passes only input the schema accepts, applying the schema's defaults. Input it does not
 * pass goes to the compiled schema, so a refusal is the same problem+json whichever way. Kept apart
 * from the validator so schema modules (which the portal and the SDK read) do not pull Ajv in.
 */
const quickChecks = new WeakMap<object, (body: unknown) => boolean>();

/** Registers `quick` as the fast path of request bodies of `schema`; returns the schema. */
export function withQuickCheck<S extends object>(schema: S, quick: (body: unknown) => boolean): S {
  quickChecks.set(schema, quick);
  return schema;
}

/** The fast path registered for `schema`, if any. */
export function quickCheckOf(schema: object): ((body: unknown) => boolean) | undefined {
  return quickChecks.get(schema);
}

/** A string of `min`..`max` UTF-16 units: within a schema's code-point bounds whatever its characters. */
export const within = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'string' && v.length >= min && v.length <= max;

/** A JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `o` has no key outside `keys`. */
export function onlyKeys(o: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const k in o) if (!keys.has(k)) return false;
  return true;
}
