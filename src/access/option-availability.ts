import { LICENCES, levelSelling, NAMED_PERMISSIONS, type SupervisorLevel } from '../catalog/index.js';
import type { ChangeActor, Violation } from './actor-bounds.js';
import { applyAutomaticAssignments } from './automatic-assignment.js';
import { readOnlyFieldViolations, validateUserChange, type UserChangeContext } from './change-rules.js';
import { explainUser } from './explain.js';
import type { Block, UserAccess } from './types.js';

/**
 * Whether an option of the user editor may be changed from the draft, and why not (X1). `locked`: the
 * option is on and may not be turned off (A1, A3, C4...). `reasons` of an option that is not disabled
 * are the draft's own violations that turning the option off would clear (a warning, not a greying).
 */
export interface OptionState {
  disabled: boolean;
  locked: boolean;
  reasons: Block[];
}

/** G15: billable content the user's profile bundles that the supervisor level does not sell yet. */
export interface ContentLevel extends Block {
  capability: string;
  level: Exclude<SupervisorLevel, 'none'>;
}

/** One proposed change as the rules decided it: the draft's own violations are `violations`. */
export interface DraftDecision {
  actor: ChangeActor;
  before: UserAccess | null;
  /** The draft after automatic assignment: what the editor shows. */
  after: UserAccess;
  ctx: UserChangeContext;
  violations: readonly Violation[];
}

type Toggle = (u: UserAccess) => UserAccess | null;

const toggled = <T extends string>(list: readonly T[], item: T): T[] =>
  list.includes(item) ? list.filter((x) => x !== item) : [...list, item];

/** Telephony options give capabilities that exist only for platform users (G4, as `explain` says). */
const OPTION_CAPABILITIES: Record<string, readonly string[]> = {
  'channel:calls': ['telephony:call'],
  'channel:sms': ['telephony:sms'],
  'channel:both': ['telephony:call', 'telephony:sms'],
  'features.recording': ['telephony:record'],
  'features.dialRestriction': ['telephony:call'],
};

/** Every option of the editor as a change of the draft: `null` when the option does not apply. */
function optionToggles(after: UserAccess, ctx: UserChangeContext): Array<[id: string, on: boolean, toggle: Toggle]> {
  const out: Array<[string, boolean, Toggle]> = [];
  for (const p of NAMED_PERMISSIONS)
    out.push([
      `permission:${p}`,
      after.permissions.includes(p),
      (u) => ({ ...u, permissions: toggled(u.permissions, p) }),
    ]);
  for (const l of LICENCES)
    out.push([`licence:${l}`, after.licences.includes(l), (u) => ({ ...u, licences: toggled(u.licences, l) })]);
  for (const c of ['both', 'calls', 'sms', 'none'] as const)
    out.push([
      `channel:${c}`,
      after.features.channels === c,
      (u) => (u.features.channels === c ? null : { ...u, features: { ...u.features, channels: c } }),
    ]);
  // The rules weigh a queue role the same on every queue: one queue without it answers for all of them.
  for (const role of ['agent', 'supervisor'] as const) {
    const queue = [...ctx.tenant.queues.keys()].find((q) => !after.contactCenter.queues[q]?.includes(role));
    if (queue !== undefined)
      out.push([
        `queue.${role}`,
        false,
        (u) => ({
          ...u,
          contactCenter: {
            ...u.contactCenter,
            queues: { ...u.contactCenter.queues, [queue]: [...(u.contactCenter.queues[queue] ?? []), role] },
          },
        }),
      ]);
  }
  out.push([
    'contactCenter.admin',
    after.contactCenter.admin,
    (u) => ({ ...u, contactCenter: { ...u.contactCenter, admin: !u.contactCenter.admin } }),
  ]);
  out.push([
    'ucClient.desktop',
    after.ucClient.desktop,
    (u) => ({ ...u, ucClient: { ...u.ucClient, desktop: !u.ucClient.desktop } }),
  ]);
  const sp = after.ucClient.softphone;
  // Turning the softphone on as the editor does: the desktop client, the chosen device or the first one.
  const softphoneOn = (u: UserAccess): UserAccess => ({
    ...u,
    ucClient: {
      ...u.ucClient,
      softphone: {
        enabled: true,
        clients: u.ucClient.softphone.clients.length ? u.ucClient.softphone.clients : ['desktop'],
        deviceId: u.ucClient.softphone.deviceId ?? u.devices[0]?.id ?? null,
      },
    },
  });
  out.push([
    'ucClient.softphone',
    sp.enabled,
    (u) =>
      u.ucClient.softphone.enabled
        ? { ...u, ucClient: { ...u.ucClient, softphone: { ...u.ucClient.softphone, enabled: false } } }
        : softphoneOn(u),
  ]);
  out.push(['softphone.device', false, (u) => (u.devices.length ? softphoneOn(u) : null)]);
  for (const c of ['desktop', 'mobile', 'crm'] as const)
    out.push([
      `softphone.client:${c}`,
      sp.clients.includes(c),
      (u) => {
        const s = softphoneOn(u).ucClient.softphone;
        return { ...u, ucClient: { ...u.ucClient, softphone: { ...s, clients: toggled(s.clients, c) } } };
      },
    ]);
  const f =
    (patch: Partial<UserAccess['features']>): Toggle =>
    (u) => ({ ...u, features: { ...u.features, ...patch } });
  out.push(['features.recording', after.features.recording, f({ recording: !after.features.recording })]);
  out.push(['features.crmOverlay', after.features.crmOverlay, f({ crmOverlay: !after.features.crmOverlay })]);
  out.push([
    'features.dialRestriction',
    after.features.dialRestriction.enabled,
    f({ dialRestriction: { ...after.features.dialRestriction, enabled: !after.features.dialRestriction.enabled } }),
  ]);
  out.push(['recordingScope', false, (u) => ({ ...u, recordingScope: u.recordingScope === 'all' ? 'own' : 'all' })]);
  out.push([
    'profile.superuser',
    after.profile.kind === 'superuser',
    (u) => ({ ...u, profile: u.profile.kind === 'superuser' ? { kind: 'none' } : { kind: 'superuser' } }),
  ]);
  out.push([
    'status',
    after.status === 'suspended',
    (u) => (u.status === 'removed' ? null : { ...u, status: u.status === 'active' ? 'suspended' : 'active' }),
  ]);
  return out;
}

/**
 * Rules an option only warns of: the admin may still make the change and learns in the summary that
 * the save needs someone else (C2: Manage Billable Items decides billable increases, not the form).
 */
const WARNING_RULES: ReadonlySet<string> = new Set(['C2']);

const keyOf = (v: Violation) => `${v.rule ?? ''}|${v.code}|${v.field}|${v.detail}`;
const asBlock = (v: Violation): Block => ({ rule: v.rule ?? '', code: v.code, detail: v.detail });

/**
 * Every option of the user editor, weighed by the change rules themselves: each option is applied to
 * the draft (automatic assignment included) and the table decides the result. An option is disabled by
 * what it would newly break, and by what refuses the whole change (C1, C9 on a superior: field `/`);
 * telephony options of a user who is not a platform user are disabled by G4 as `explain` reports it.
 */
export function optionAvailability(d: DraftDecision): Record<string, OptionState> {
  const baseline = new Set(d.violations.map(keyOf));
  const explained = explainUser({ ...d.after, status: 'active' }, d.ctx.tenant);
  const out: Record<string, OptionState> = {};
  for (const [id, on, toggle] of optionToggles(d.after, d.ctx)) {
    const requested = toggle(d.after);
    if (!requested) continue;
    const candidate = validateUserChange(d.actor, d.before, applyAutomaticAssignments(requested, d.before), d.ctx);
    const blocking = candidate.filter((v) => v.field === '/' || !baseline.has(keyOf(v))).map(asBlock);
    if (!on)
      for (const cap of OPTION_CAPABILITIES[id] ?? [])
        blocking.push(...(explained[cap]?.blockedBy ?? []).filter((b) => b.rule === 'G4'));
    const reasons = unique(blocking);
    if (reasons.some((r) => !WARNING_RULES.has(r.rule))) {
      out[id] = { disabled: true, locked: on, reasons };
      continue;
    }
    if (reasons.length > 0) {
      out[id] = { disabled: false, locked: false, reasons };
      continue;
    }
    const after = new Set(candidate.map(keyOf));
    const cleared = on ? d.violations.filter((v) => !after.has(keyOf(v))).map(asBlock) : [];
    out[id] = { disabled: false, locked: false, reasons: unique(cleared) };
  }
  // C5: the phone system's fields are never the editor's to change.
  for (const v of readOnlyFieldViolations(new Set(['extension', 'devices'])))
    out[v.field.slice(1)] = { disabled: true, locked: true, reasons: [asBlock(v)] };
  return out;
}

function unique(blocks: Block[]): Block[] {
  const seen = new Set<string>();
  return blocks.filter((b) => {
    const k = `${b.rule}|${b.code}|${b.detail}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/**
 * G15: the billable content the user's profile (tenant, custom or superuser) grants that their
 * supervisor level does not sell yet, with the level it needs, as `explain` decides it.
 */
export function contentLevels(after: UserAccess, ctx: Pick<UserChangeContext, 'tenant'>): ContentLevel[] {
  const explained = explainUser({ ...after, status: 'active' }, ctx.tenant);
  return Object.entries(explained).flatMap(([capability, d]) => {
    const level = levelSelling(capability);
    const g15 = d.blockedBy.find((b) => b.rule === 'G15');
    return level && g15 && d.grantedBy.some((s) => s.startsWith('profile:')) ? [{ ...g15, capability, level }] : [];
  });
}
