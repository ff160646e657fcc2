import {
  billableKeysOf,
  CAPABILITY_BY_ID,
  PERMISSION_CAPABILITIES,
  planHas,
  supervisorRank,
  type BillableKey,
} from '../catalog/index.js';
import {
  holds,
  lastAdmin,
  removalsBeyond,
  superiorViolation,
  ungrantable,
  type ChangeActor,
  type Violation,
} from './actor-bounds.js';
import { essentialGiven } from './automatic-assignment.js';
import type { ErrorCode } from '../catalog/errors.js';
import type { TenantAccess, UserAccess } from './types.js';

export interface UserChangeContext {
  tenant: TenantAccess;
  /** Licence caps of the tenant (absent or null: unlimited) and current assignments (C6). */
  pools: { caps: Partial<Record<string, number | null>>; assigned: Partial<Record<BillableKey, number>> };
  /** Another user with website access already logs in with this email (G2). */
  emailTaken: boolean;
  /** Active users other than this one who have website access and users:edit (C4). */
  otherAdmins: number;
  groupIds: ReadonlySet<string>;
  workspaceIds: ReadonlySet<string>;
}

/** One proposed change of one user, as every rule of the table sees it. `before` is null on create. */
export interface ChangeInput {
  actor: ChangeActor;
  before: UserAccess | null;
  /** The user after the change, automatic assignment applied (`applyAutomaticAssignments`). */
  after: UserAccess;
  ctx: UserChangeContext;
  /** The fields the request named (C5, P4, G10 refuse some by name); absent: none checked. */
  fields?: ReadonlySet<string>;
}

/** A rule of the table: a pure check of one change, answering every way the change breaks it. */
export interface ChangeRule {
  /** What the rule says, in a line (docs/access-rules.md gives the whole rule). */
  summary: string;
  check(change: ChangeInput): Violation[];
}

const violation = (code: ErrorCode, rule: string | undefined, field: string, detail: string): Violation => ({
  code,
  field,
  detail,
  ...(rule ? { rule } : {}),
});
const when = (cond: boolean, v: () => Violation): Violation[] => (cond ? [v()] : []);

/** Fields of a user that only platform sync changes: by name, with the rule a portal request breaks. */
const READ_ONLY_FIELDS: ReadonlyArray<[field: string, rule: 'C5' | 'P4']> = [
  ['extension', 'C5'],
  ['devices', 'C5'],
  ['source', 'C5'],
  ['externalId', 'P4'],
  ['acdQueueIds', 'P4'],
  ['phoneSystem', 'P4'],
];

/** C6: one more assignment of a pooled licence fits when the pool is unlimited or has room. */
export function poolHasRoom(cap: number | null | undefined, assigned: number): boolean {
  return cap === undefined || cap === null || assigned + 1 <= cap;
}

/** The billable keys a change adds, and the increases among them (a lower supervisor level is a decrease: C2). */
function billableIncrease(before: UserAccess | null, after: UserAccess) {
  const beforeKeys = new Set(before ? billableKeysOf(before) : []);
  const added = billableKeysOf(after).filter((k) => !beforeKeys.has(k));
  const raised = supervisorRank(after.supervisorLevel) > supervisorRank(before?.supervisorLevel ?? 'none');
  const increases = [
    ...added.filter((k) => !k.startsWith('supervisor_')),
    ...(raised ? [`supervisor_${after.supervisorLevel}`] : []),
  ];
  return { added, raised, increases };
}

/**
 * The change rules, one entry per rule id, in the order a refusal reports them (the first is the
 * error, the rest travel along). Each entry is a pure check of one proposed change. The users
 * service, the preview of a change and the platform sync planner (A1, A3 through
 * `automatic-assignment.ts`, C6 through `poolHasRoom`) all decide with this table; the tests in
 * `src/access/change-rules-*.test.ts` take it entry by entry. The actor's bounds (C3, C4, C9) are in
 * `actor-bounds.ts`.
 */
export const CHANGE_RULES = {
  C1: {
    summary: 'changing users needs users:edit; creating them users:create',
    check: ({ actor, before }) => {
      const needed = before ? 'users:edit' : 'users:create';
      return when(!holds(actor, needed), () => violation('forbidden', 'C1', '/', `changing users needs ${needed}`));
    },
  },
  C5: {
    summary:
      "extension, devices and source of a user change only through platform sync; so do the phone system's own fields (P4)",
    check: ({ fields }) =>
      READ_ONLY_FIELDS.filter(([f]) => fields?.has(f)).map(([f, rule]) =>
        rule === 'C5'
          ? violation('read_only_field', 'C5', `/${f}`, `${f} changes only through platform sync`)
          : violation(
              'read_only_field',
              'P4',
              `/${f}`,
              `${f} is the phone system's: it changes only through platform sync`,
            ),
      ),
  },
  G10: {
    summary: "preferences are the user's own, set in the app",
    check: ({ fields }) =>
      when(fields?.has('preferences') ?? false, () =>
        violation(
          'read_only_field',
          'G10',
          '/preferences',
          'preferences are set by the user in the app (PATCH /v1/me/preferences)',
        ),
      ),
  },
  G13: {
    summary: 'admins move users between active and suspended; only platform sync removes them and brings them back',
    check: ({ actor, before, after }) => {
      if (actor.isSync) return [];
      if (after.status === 'removed' && before?.status !== 'removed')
        return [violation('validation_failed', 'G13', '/status', 'only platform sync removes users')];
      if (before?.status === 'removed' && after.status !== 'removed')
        return [violation('validation_failed', 'G13', '/status', 'removed users return only through platform sync')];
      return [];
    },
  },
  A1: {
    summary: 'platform users keep the Essential licence',
    check: ({ before, after }) =>
      when(
        essentialGiven(after) && !!before?.licences.includes('essential') && !after.licences.includes('essential'),
        () => violation('read_only_field', 'A1', '/licences', 'platform users keep the Essential licence'),
      ),
  },
  A3: {
    summary: 'under the automatic Agent add-on policy only platform sync assigns Agent',
    check: ({ actor, before, after, ctx }) => {
      const agentChanged = (before?.licences.includes('agent') ?? false) !== after.licences.includes('agent');
      return when(agentChanged && ctx.tenant.policies.agentAddOn === 'auto' && !actor.isSync, () =>
        violation(
          'locked_by_policy',
          'A3',
          '/licences',
          'under the automatic Agent add-on policy only platform sync assigns Agent',
        ),
      );
    },
  },
  G4: {
    summary: 'Essential and Agent exist only for platform users',
    check: ({ after }) =>
      after.source === 'platform'
        ? []
        : (['essential', 'agent'] as const)
            .filter((l) => after.licences.includes(l))
            .map((l) =>
              violation(
                'platform_user_required',
                'G4',
                '/licences',
                `${l} is only for users imported from the phone system`,
              ),
            ),
  },
  G3: {
    summary: 'UC client access needs the Essential licence',
    check: ({ after }) => {
      const uc = after.ucClient.desktop || after.ucClient.softphone.enabled || after.licences.includes('crm');
      return when(uc && !after.licences.includes('essential'), () =>
        violation('essential_required', 'G3', '/ucClient', 'UC client access needs the Essential licence'),
      );
    },
  },
  G5: {
    summary: "the softphone needs its licence and a device of the user's own (WebRTC for the CRM client)",
    check: ({ after }) => {
      const sp = after.ucClient.softphone;
      if (!sp.enabled) return [];
      const out: Violation[] = [];
      if (!after.licences.includes('softphone'))
        out.push(
          violation(
            'softphone_licence_required',
            'G5',
            '/ucClient/softphone',
            'the softphone needs the Softphone licence',
          ),
        );
      const device = after.devices.find((d) => d.id === sp.deviceId);
      if (!device)
        out.push(
          violation('device_required', 'G5', '/ucClient/softphone/deviceId', "choose one of the user's own devices"),
        );
      else if (sp.clients.includes('crm') && device.kind !== 'webrtc')
        out.push(
          violation(
            'webrtc_device_required',
            'G5',
            '/ucClient/softphone/clients',
            'the CRM softphone client needs a WebRTC device',
          ),
        );
      return out;
    },
  },
  G2: {
    summary: 'website access needs an email that no other user with website access signs in with',
    check: ({ before, after, ctx }) => {
      if (!after.permissions.includes('website_access')) return [];
      if (!after.email)
        return [violation('email_required', 'G2', '/email', 'website access needs an email address (the login name)')];
      const websiteNew =
        !before?.permissions.includes('website_access') || before.email?.toLowerCase() !== after.email.toLowerCase();
      return when(websiteNew && ctx.emailTaken, () =>
        violation(
          'email_not_unique',
          'G2',
          '/email',
          'another user with website access already signs in with this email',
        ),
      );
    },
  },
  G1: {
    summary: 'other named permissions are greyed out before website access',
    check: ({ before, after }) => {
      if (after.permissions.includes('website_access')) return [];
      const added = after.permissions.filter((p) => !before?.permissions.includes(p));
      return when(added.length > 0, () =>
        violation('website_access_required', 'G1', '/permissions', `grant website access before ${added.join(', ')}`),
      );
    },
  },
  G14: {
    summary: 'queue roles are for platform users, on queues that exist; the agent role needs the Agent licence',
    check: ({ after }) => {
      const out: Violation[] = [];
      const queueRoles = Object.entries(after.contactCenter.queues);
      if (queueRoles.some(([, r]) => r.length > 0)) {
        if (after.source !== 'platform')
          out.push(
            violation('platform_user_required', 'G14', '/contactCenter/queues', 'queue roles are for platform users'),
          );
        if (queueRoles.some(([, r]) => r.includes('agent')) && !after.licences.includes('agent'))
          out.push(
            violation(
              'agent_licence_required',
              'G14',
              '/contactCenter/queues',
              'the agent role needs the Agent licence',
            ),
          );
      }
      return out;
    },
  },
  C7: {
    summary: 'queue assignments and the Contact Admin role are given by Contact Admins (cc:admin)',
    check: ({ actor, before, after }) => {
      const ccChanged =
        JSON.stringify(before?.contactCenter ?? { admin: false, queues: {} }) !== JSON.stringify(after.contactCenter);
      return when(ccChanged && !holds(actor, 'cc:admin') && !actor.isSync, () =>
        violation(
          'cc_admin_required',
          'C7',
          '/contactCenter',
          'queue assignments and the Contact Admin role need cc:admin',
        ),
      );
    },
  },
  A4: {
    summary: "the primary group is one of the user's groups",
    check: ({ after }) =>
      when(!!after.primaryGroup && !after.groups.includes(after.primaryGroup), () =>
        violation(
          'primary_group_not_member',
          'A4',
          '/primaryGroup',
          "the primary group must be one of the user's groups",
        ),
      ),
  },
  E2: {
    summary:
      'a change names only what exists (queues, groups, workspaces, profiles); custom grants come from the profile matrix',
    check: ({ after, ctx }) => {
      const bad = (field: string, detail: string) => violation('validation_failed', 'E2', field, detail);
      const out = [
        ...Object.keys(after.contactCenter.queues)
          .filter((q) => !ctx.tenant.queues.has(q))
          .map((q) => bad(`/contactCenter/queues/${q}`, `queue ${q} does not exist`)),
        ...after.groups.filter((g) => !ctx.groupIds.has(g)).map((g) => bad('/groups', `group ${g} does not exist`)),
        ...Object.keys(after.workspaces)
          .filter((w) => !ctx.workspaceIds.has(w))
          .map((w) => bad(`/workspaces/${w}`, `workspace ${w} does not exist`)),
      ];
      const p = after.profile;
      if (p.kind === 'profile' && (!p.profileId || !ctx.tenant.profiles.has(p.profileId)))
        out.push(bad('/profile/profileId', 'choose an existing profile'));
      if (p.kind === 'custom')
        for (const g of p.grants ?? [])
          if (!CAPABILITY_BY_ID.get(g)?.profileGrantable)
            out.push(bad('/profile/grants', `${g} cannot be granted by a profile`));
      return out;
    },
  },
  F1: {
    summary: 'channels the plan lacks (calls, SMS) cannot be turned on',
    check: ({ before, after, ctx }) => {
      const f = after.features;
      if (f.channels === before?.features.channels) return [];
      const wants = (c: 'calls' | 'sms') => f.channels === c || f.channels === 'both';
      return [
        ...when(wants('calls') && !planHas(ctx.tenant.planFeatures, 'calls'), () =>
          violation('plan_feature_missing', 'F1', '/features/channels', 'the plan does not include calls'),
        ),
        ...when(wants('sms') && !planHas(ctx.tenant.planFeatures, 'sms'), () =>
          violation('plan_feature_missing', 'F1', '/features/channels', 'the plan does not include SMS'),
        ),
      ];
    },
  },
  F2: {
    summary: 'call recording cannot be turned on when the plan lacks it',
    check: ({ before, after, ctx }) =>
      when(
        after.features.recording && !before?.features.recording && !planHas(ctx.tenant.planFeatures, 'recording'),
        () =>
          violation('plan_feature_missing', 'F2', '/features/recording', 'the plan does not include call recording'),
      ),
  },
  G8: {
    summary: 'the CRM overlay cannot be turned on when the plan lacks it (a stored setting survives a downgrade)',
    check: ({ before, after, ctx }) =>
      when(
        !!before &&
          after.features.crmOverlay &&
          !before.features.crmOverlay &&
          !planHas(ctx.tenant.planFeatures, 'crm_overlay'),
        () =>
          violation('plan_feature_missing', 'G8', '/features/crmOverlay', 'the plan does not include the CRM overlay'),
      ),
  },
  F3: {
    summary: 'dial restrictions cannot be turned on when the plan lacks them',
    check: ({ before, after, ctx }) =>
      when(
        after.features.dialRestriction.enabled &&
          !before?.features.dialRestriction.enabled &&
          !planHas(ctx.tenant.planFeatures, 'dial_restriction'),
        () =>
          violation(
            'plan_feature_missing',
            'F3',
            '/features/dialRestriction',
            'the plan does not include dial restrictions',
          ),
      ),
  },
  C2: {
    summary: 'increasing billable usage needs Manage Billable Items (billing:edit)',
    check: ({ actor, before, after }) => {
      const { raised, increases } = billableIncrease(before, after);
      return when(increases.length > 0 && !holds(actor, 'billing:edit') && !actor.isSync, () =>
        violation(
          'billable_permission_required',
          'C2',
          raised ? '/supervisorLevel' : '/licences',
          `adding ${increases.join(', ')} increases billable usage and needs Manage Billable Items`,
        ),
      );
    },
  },
  C6: {
    summary: 'a licence pool that is used up gives no more',
    check: ({ before, after, ctx }) =>
      billableIncrease(before, after)
        .added.filter((k) => !poolHasRoom(ctx.pools.caps[k], ctx.pools.assigned[k] ?? 0))
        .map((k) =>
          violation(
            'licence_pool_exhausted',
            'C6',
            k.startsWith('supervisor_') ? '/supervisorLevel' : '/licences',
            `the ${k} pool is used up (${ctx.pools.caps[k]} of ${ctx.pools.caps[k]})`,
          ),
        ),
  },
  C3: {
    summary: 'no escalation: an actor grants only what it holds; only a superuser grants superuser',
    check: ({ actor, before, after, ctx }) => {
      if (actor.all) return [];
      const out: Violation[] = [];
      const missing = new Set<string>();
      for (const perm of after.permissions) {
        if (before?.permissions.includes(perm)) continue;
        for (const c of PERMISSION_CAPABILITIES[perm] ?? []) if (!actor.capabilities.has(c)) missing.add(c);
      }
      const bp = before?.profile;
      const p = after.profile;
      if (JSON.stringify(bp ?? { kind: 'none' }) !== JSON.stringify(p)) {
        if (p.kind === 'superuser' && !actor.superuser)
          out.push(violation('escalation_refused', 'C3', '/profile', 'only a superuser grants superuser'));
        const grants =
          p.kind === 'custom'
            ? (p.grants ?? []).filter((g) => !(bp?.kind === 'custom' && bp.grants?.includes(g)))
            : p.kind === 'profile'
              ? (ctx.tenant.profiles.get(p.profileId ?? '')?.grants ?? [])
              : [];
        for (const g of ungrantable(actor.capabilities, grants)) missing.add(g);
      }
      if (missing.size > 0)
        out.push(
          violation(
            'escalation_refused',
            'C3',
            '/permissions',
            `you cannot grant what you do not hold: ${[...missing].sort().join(', ')}`,
          ),
        );
      return out;
    },
  },
  C9: {
    summary: 'no acting on superiors, and taking away only what the actor could give',
    check: ({ actor, before, after, ctx }) => {
      if (!before) return [];
      const superior = superiorViolation(actor, before, ctx.tenant);
      return superior ? [superior] : removalsBeyond(actor, before, after, ctx.tenant);
    },
  },
  C4: {
    summary: 'the last active user with website access and users:edit keeps both',
    check: ({ before, after, ctx }) => lastAdmin(before, after, ctx.tenant, ctx.otherAdmins),
  },
} satisfies Record<string, ChangeRule>;

export type ChangeRuleId = keyof typeof CHANGE_RULES;

/** Every rule a change of one user breaks, in the table's order; empty means the change may be saved. */
export function validateUserChange(
  actor: ChangeActor,
  before: UserAccess | null,
  after: UserAccess,
  ctx: UserChangeContext,
  fields?: ReadonlySet<string>,
): Violation[] {
  const change: ChangeInput = { actor, before, after, ctx, ...(fields && { fields }) };
  return Object.values(CHANGE_RULES).flatMap((rule: ChangeRule) => rule.check(change));
}

/** C5, P4, G10: the fields a request may not name at all (refused before anything is loaded). */
export function readOnlyFieldViolations(fields: ReadonlySet<string>): Violation[] {
  const change = { fields } as ChangeInput;
  return [...CHANGE_RULES.C5.check(change), ...CHANGE_RULES.G10.check(change)];
}
