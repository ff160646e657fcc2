/** A user as the API answers one, for the portal's component tests (not used by the portal itself). */
import type { User } from '../../client/index.js';

export function sampleUser(overrides: Partial<User> = {}): User {
  return {
    id: 'u1',
    tenantId: 't1',
    source: 'manual',
    externalId: null,
    extension: null,
    devices: [],
    hasPassword: false,
    preferences: { recording: true, crmOverlay: true },
    createdAt: '',
    updatedAt: '',
    status: 'active',
    displayName: '',
    email: '',
    licences: [],
    supervisorLevel: 'none',
    permissions: [],
    recordingScope: 'own',
    ucClient: { desktop: false, softphone: { enabled: false, clients: [], deviceId: null } },
    groups: [],
    primaryGroup: null,
    workspaces: {},
    contactCenter: { admin: false, queues: {} },
    profile: { kind: 'none' },
    features: {
      channels: 'none',
      recording: false,
      crmOverlay: true,
      dialRestriction: { enabled: false, allowedRegions: [] },
    },
    version: 0,
    ...overrides,
  };
}
