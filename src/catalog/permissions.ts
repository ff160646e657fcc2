import { expandCapabilityPattern, type Capability } from './capabilities.js';

/** Named permissions of the Users page (seed 000), each a fixed bundle of capabilities (SPEC 3.2). */
export const NAMED_PERMISSIONS = [
  'website_access',
  'manage_users',
  'manage_billable_items',
  'customer_settings',
  'manage_contact_directory',
  'workspace_admin',
  'rest_api_admin',
  'supervisor_agent_control',
  'silent_monitor',
  'webhook_admin',
  'recording_playback',
] as const;
export type NamedPermission = (typeof NAMED_PERMISSIONS)[number];

const bundles: Record<NamedPermission, Array<Capability | `${string}:*`>> = {
  website_access: ['portal:use'],
  manage_users: ['users:*'],
  manage_billable_items: ['billing:edit'],
  customer_settings: ['settings:*', 'groups:*'],
  manage_contact_directory: ['directory:*'],
  workspace_admin: ['workspaces:*'],
  rest_api_admin: ['api_tokens:*'],
  supervisor_agent_control: ['agent_state:edit'],
  silent_monitor: ['live_calls:monitor'],
  webhook_admin: ['webhooks:*'],
  recording_playback: ['recordings:play'],
};

/** The capabilities each named permission grants, expanded. */
export const PERMISSION_CAPABILITIES: Readonly<Record<NamedPermission, readonly Capability[]>> = Object.fromEntries(
  NAMED_PERMISSIONS.map((p) => [p, bundles[p].flatMap(expandCapabilityPattern)]),
) as Record<NamedPermission, Capability[]>;
