/** Why a control is disabled or locked (or what it breaks now): each reason in plain words with its SPEC rule (X1), as the server gave it. */
import { Text } from '@mantine/core';
import { useI18n } from '../i18n/index.js';
import type { ControlState } from '../lib/change-preview.js';
import { describeBlock } from '../lib/problem-message.js';

export function DisabledReason({ state, id }: { state: ControlState; id: string }) {
  const tr = useI18n();
  if (!state.reasons.length) return null;
  return (
    <Text
      id={id}
      size="xs"
      c="dimmed"
      data-testid="disabled-reason"
      data-rules={state.reasons.map((r) => r.rule).join(' ')}
    >
      {state.locked ? '🔒 ' : ''}
      {state.reasons.map((r) => describeBlock(r, tr)).join(' · ')}
    </Text>
  );
}

/** `aria-describedby` id for the reason of a control. */
export const reasonId = (controlId: string) => `reason-${controlId.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
