/** What every tab of the user editor receives, and controls that show why they are disabled. */
import type { ReactNode } from 'react';
import { Checkbox, Stack, Switch } from '@mantine/core';
import type { ChangePreview, Group, Profile, Queue, Tenant, Usage, User, Workspace } from '../../../../client/index.js';
import { DisabledReason, reasonId } from '../../components/disabled-reason.js';
import type { ActorPowers } from '../../lib/actor.js';
import type { ControlId, ControlState } from '../../lib/change-preview.js';

export interface EditorLookups {
  groups: Group[];
  queues: Queue[];
  workspaces: Workspace[];
  profiles: Profile[];
  usage: Usage | null;
}

/** Who edits, in which tenant: what the tabs show besides the server's greying. */
export interface EditorContext {
  actor: ActorPowers;
  tenant: Pick<Tenant, 'policies'> | null;
}

export interface TabProps {
  draft: User;
  /** Applies a change to the draft (automatic rules A2/A4 are applied after it). */
  update: (fn: (u: User) => User) => void;
  /** The server's weighing of each control (the preview's `options`). */
  state: (id: ControlId) => ControlState;
  ctx: EditorContext;
  /** G15: the profile's billable content the supervisor level does not sell yet (the preview's `contentLevels`). */
  contentLevels: ChangePreview['contentLevels'];
  lookups: EditorLookups;
  creating: boolean;
}

interface GuardedProps {
  id: ControlId;
  label: ReactNode;
  description?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  state: ControlState;
  kind?: 'checkbox' | 'switch';
}

/** A checkbox or switch that is disabled with its reasons when a rule says so. */
export function GuardedToggle({ id, label, description, checked, onChange, state, kind = 'checkbox' }: GuardedProps) {
  const rid = reasonId(id);
  const props = {
    label,
    description,
    disabled: state.disabled,
    checked: state.locked ? true : checked,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => onChange(e.currentTarget.checked),
    'aria-describedby': state.reasons.length ? rid : undefined,
    'data-control': id,
  };
  return (
    <Stack gap={2}>
      {kind === 'switch' ? <Switch {...props} /> : <Checkbox {...props} />}
      <div style={{ paddingLeft: kind === 'switch' ? 56 : 32 }}>
        <DisabledReason state={state} id={rid} />
      </div>
    </Stack>
  );
}

export const toggleIn = <T extends string>(list: readonly T[], item: T, on: boolean): T[] =>
  on ? (list.includes(item) ? [...list] : [...list, item]) : list.filter((x) => x !== item);
