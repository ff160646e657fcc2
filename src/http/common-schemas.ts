import { Type, type TSchema } from '@sinclair/typebox';
import { ALL_CAPABILITY_IDS, type Capability } from '../catalog/capabilities.js';
import { NAMED_PERMISSIONS } from '../catalog/permissions.js';
import { REGION_CODES } from '../catalog/regions.js';
import { BILLABLE_KEYS, LICENCES, SUPERVISOR_LEVELS } from '../catalog/licences.js';

/** Schemas shared by several modules. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    rule: Type.Optional(Type.String()),
    field: Type.Optional(Type.String()),
  },
  { $id: 'Problem', additionalProperties: true },
);

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const TenantParams = Type.Object({ t: Type.String({ minLength: 1, maxLength: 100 }) });
export const TenantItemParams = Type.Object({
  t: Type.String({ minLength: 1, maxLength: 100 }),
  id: Type.String({ minLength: 1, maxLength: 100 }),
});

export const Cursor = Type.Optional(Type.String({ maxLength: 500 }));
export const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 }));

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
export const LicenceSchema = literals(LICENCES);
export const SupervisorLevelSchema = literals(SUPERVISOR_LEVELS);
export const NamedPermissionSchema = literals(NAMED_PERMISSIONS);
export const BillableKeySchema = literals(BILLABLE_KEYS);
/** A capability id of the catalog (`module:action`); an enum, so the OpenAPI document lists them. */
export const CapabilitySchema = Type.Unsafe<Capability>({ type: 'string', enum: [...ALL_CAPABILITY_IDS] });
/**
 * A region (F3: `homeRegion`, `allowedRegions`): an ISO 3166-1 alpha-2 code the phone-number metadata
 * knows, since a dial check compares it with the region a number resolves to; a code no number can
 * resolve to (`XX`, `ZZ`, a typo) would be a silent no-op. An enum, so the OpenAPI document lists
 * them and a refusal is `validation_failed` naming the field. The metadata's list also holds the
 * few codes its numbering plans use beyond the assigned ones (`XK` Kosovo, `AC` Ascension, `TA`
 * Tristan da Cunha): numbers resolve to them, so a restriction must be able to name them.
 */
export const RegionCode = Type.Unsafe<string>({
  type: 'string',
  enum: [...REGION_CODES],
  description: 'ISO 3166-1 alpha-2 region known to the phone-number metadata (libphonenumber)',
});

/**
 * A name a person reads (a user's display name, a tenant, group, workspace, profile, queue, token or
 * issuer name): 1-200 characters and not blank, so whitespace alone is refused (`validation_failed`
 * on the field) instead of showing an empty row.
 */
export const NameText = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'at least one character other than whitespace',
});

/** Standard error answers, so the OpenAPI document lists them. */
export const errorResponses = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};

export function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}
export function decodeCursor(cursor: string | undefined): unknown[] | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
