import type { TenantRow } from '../../db/schema.js';
import type { Config } from '../../infra/config.js';
import { AppError } from '../../infra/errors.js';
import { LAPSE_SECONDS } from './sessions.repo.js';

/** A tenant's session policy (S3): the app-session lapse and the portal idle time. */
export interface SessionPolicy {
  appLapseSeconds: number;
  portalIdleMinutes: number;
}

/** The tenant's policy as stored, the defaults (90 s, 30 min) for what it did not choose. */
export function sessionPolicyOf(settings: TenantRow['settings'] | null | undefined): SessionPolicy {
  return {
    appLapseSeconds: settings?.sessionPolicy?.appLapseSeconds ?? LAPSE_SECONDS.app,
    portalIdleMinutes: settings?.sessionPolicy?.portalIdleMinutes ?? LAPSE_SECONDS.portal / 60,
  };
}

/** The lapse in seconds of each audience under a policy. */
export function lapseSecondsOf(policy: SessionPolicy): { app: number; portal: number } {
  return { app: policy.appLapseSeconds, portal: policy.portalIdleMinutes * 60 };
}

/**
 * Refuses a policy outside the provider's bounds (`SESSION_APP_LAPSE_*_SECONDS`,
 * `SESSION_PORTAL_IDLE_*_MINUTES`): 400 `policy_out_of_bounds`, naming the field and the bounds.
 */
export function assertSessionPolicy(config: Config, policy: Partial<SessionPolicy>): void {
  const bounds = [
    ['appLapseSeconds', config.SESSION_APP_LAPSE_MIN_SECONDS, config.SESSION_APP_LAPSE_MAX_SECONDS, 's'],
    ['portalIdleMinutes', config.SESSION_PORTAL_IDLE_MIN_MINUTES, config.SESSION_PORTAL_IDLE_MAX_MINUTES, 'min'],
  ] as const;
  for (const [key, min, max, unit] of bounds) {
    const v = policy[key];
    if (v !== undefined && (v < min || v > max))
      throw new AppError(
        'policy_out_of_bounds',
        `${key} must be between ${min} and ${max} ${unit} (the provider's bounds)`,
        {
          rule: 'S3',
          field: `/sessionPolicy/${key}`,
          extra: { min, max },
        },
      );
  }
}
