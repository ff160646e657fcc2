/**
 * Which call-data screens the signed-in user may open, and why not (X1), from their own configuration
 * (`/v1/me/config` capabilities, kept current by the config stream). Reports, dashboards, wallboards,
 * live statistics and agent and queue data are billable content sold by a supervisor level (G15, CD3);
 * recordings need the Record Playback & Scope permission (CD4). The server decides the same way and
 * refuses with the same rule; the portal greys the screen instead of failing on its first request.
 */
import { levelSelling } from '../../../../src/contract/index.js';
import { actorCan, type ActorPowers } from '../../lib/actor.js';
import type { ShownBlock } from '../../lib/problem-message.js';

export const CALL_DATA_SCREENS = {
  reports: 'reports:view',
  agentReports: 'cc_data:view',
  dashboard: 'dashboards:view',
  wallboard: 'wallboards:view',
  liveStatistics: 'dashboards:live_calls',
  liveAgents: 'cc_data:view',
  recordings: 'recordings:play',
} as const;
export type CallDataScreen = keyof typeof CALL_DATA_SCREENS;

/** Any call-data capability: who sees the call-data screens in the navigation at all. */
export const ANY_CALL_DATA_CAPABILITY: readonly string[] = [...new Set(Object.values(CALL_DATA_SCREENS))];

export type ScreenAccess = { allowed: true } | { allowed: false; reason: ShownBlock };

/** Whether `actor` may open `screen`, with the blocking rule when not. */
export function screenAccess(actor: ActorPowers, screen: CallDataScreen): ScreenAccess {
  const capability = CALL_DATA_SCREENS[screen];
  if (actorCan(actor, capability)) return { allowed: true };
  const level = levelSelling(capability);
  if (level)
    return {
      allowed: false,
      reason: {
        rule: 'G15',
        code: 'supervisor_level_required',
        detail: `${capability}: needs a supervisor level that sells it`,
        level,
      },
    };
  return {
    allowed: false,
    reason: { rule: 'CD4', code: 'recording_permission_required', detail: `${capability} is not granted` },
  };
}
