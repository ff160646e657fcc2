/**
 * The live app view's state: stream messages (D1-D5) and polled configurations folded into the
 * current configuration, never going back to an older version (D3), with the list of what changed
 * in each update.
 */
import type { EffectiveConfig } from '../../../client/index.js';
import { diffValues, type DiffRow } from './json-diff.js';

export type StreamMessage =
  | { type: 'config'; version: number; config: EffectiveConfig }
  | { type: 'uptodate'; version: number }
  | { type: 'revoked'; reason?: string };

export interface LiveUpdate {
  version: number;
  at: number;
  changes: DiffRow[];
}

export interface LiveState {
  config: EffectiveConfig | null;
  version: number;
  revoked: string | null;
  updates: LiveUpdate[];
}

export const INITIAL_LIVE: LiveState = { config: null, version: 0, revoked: null, updates: [] };

/** Folds one message (or a polled configuration) into the state. */
export function applyStreamMessage(state: LiveState, msg: StreamMessage, now = Date.now()): LiveState {
  if (msg.type === 'revoked') return { ...state, revoked: msg.reason ?? 'revoked' };
  if (msg.type === 'uptodate') return state;
  if (msg.version <= state.version && state.config) return state;
  const changes = state.config ? diffValues(state.config, msg.config).filter((c) => c.path !== 'version') : [];
  const updates = state.config
    ? [{ version: msg.version, at: now, changes }, ...state.updates].slice(0, 20)
    : state.updates;
  return { config: msg.config, version: msg.version, revoked: null, updates };
}
