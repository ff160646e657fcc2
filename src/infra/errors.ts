/** The one error type of Switchboard. Rendered as RFC 9457 problem+json by the error handler. */
export type ErrorCode =
  | 'invalid_credentials'
  | 'portal_access_required'
  | 'seats_exhausted'
  | 'licence_pool_exhausted'
  | 'billable_permission_required'
  | 'escalation_refused'
  | 'last_admin'
  | 'website_access_required'
  | 'email_required'
  | 'email_not_unique'
  | 'platform_user_required'
  | 'essential_required'
  | 'softphone_licence_required'
  | 'device_required'
  | 'webrtc_device_required'
  | 'plan_feature_missing'
  | 'read_only_field'
  | 'version_conflict'
  | 'validation_failed'
  | 'not_found'
  | 'forbidden'
  | 'invalid_number'
  | 'region_not_allowed'
  | 'platform_user'
  | 'unauthorized'
  | 'agent_licence_required'
  | 'locked_by_policy'
  | 'primary_group_not_member'
  | 'profile_in_use'
  | 'locked_setting'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unsupported_media_type'
  | 'account_inactive'
  | 'provider_only'
  | 'cc_admin_required'
  | 'invalid_token'
  | 'csrf_failed'
  | 'weak_password'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  invalid_credentials: 401,
  unauthorized: 401,
  invalid_token: 401,
  portal_access_required: 403,
  forbidden: 403,
  billable_permission_required: 403,
  escalation_refused: 403,
  provider_only: 403,
  cc_admin_required: 403,
  csrf_failed: 403,
  account_inactive: 403,
  not_found: 404,
  seats_exhausted: 409,
  licence_pool_exhausted: 409,
  last_admin: 409,
  email_not_unique: 409,
  platform_user: 409,
  profile_in_use: 409,
  conflict: 409,
  version_conflict: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  website_access_required: 422,
  email_required: 422,
  platform_user_required: 422,
  essential_required: 422,
  softphone_licence_required: 422,
  device_required: 422,
  webrtc_device_required: 422,
  plan_feature_missing: 422,
  read_only_field: 422,
  validation_failed: 400,
  invalid_number: 422,
  region_not_allowed: 422,
  agent_licence_required: 422,
  locked_by_policy: 422,
  primary_group_not_member: 422,
  locked_setting: 422,
  weak_password: 422,
  rate_limited: 429,
  internal: 500,
};

export interface ErrorOptions {
  rule?: string;
  /** JSON pointer to the offending field, e.g. `/licences`. */
  field?: string;
  /** Extra members of the problem document (e.g. `limit`, `inUse`). */
  extra?: Record<string, unknown>;
  status?: number;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly options: ErrorOptions = {},
  ) {
    super(detail);
    this.status = options.status ?? STATUS[code];
  }
  get rule(): string | undefined {
    return this.options.rule;
  }
  get field(): string | undefined {
    return this.options.field;
  }
}

/** Short helper for the common 404 (also used for other tenants' resources, E4). */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}
