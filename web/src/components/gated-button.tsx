/**
 * An action button that follows what the signed-in user may do: enabled when their own
 * configuration meets `needs`, otherwise disabled with the reason in words (and the rule), instead
 * of failing with a refusal after the click.
 */
import type { ReactNode } from 'react';
import { Button, Tooltip, type ButtonProps } from '@mantine/core';
import { Link } from 'react-router';
import { useActor } from '../api/hooks.js';
import { useI18n } from '../i18n/index.js';
import { actorMeets } from '../lib/actor.js';
import { capabilityLabel } from '../lib/labels.js';

/** Whether the actor may, and if not why: "Needs “Users: Create” (rule C1)". */
export function useGate(needs: string | readonly string[], rule = 'C1'): { allowed: boolean; reason: string } {
  const tr = useI18n();
  const { actor, loading } = useActor();
  const list: readonly string[] = typeof needs === 'string' ? [needs] : needs;
  return {
    allowed: !loading && actorMeets(actor, list),
    reason: tr.t('actions.needs', { capability: list.map((c) => capabilityLabel(tr, c)).join(' / '), rule }),
  };
}

export function GatedButton({
  needs,
  rule,
  to,
  onClick,
  children,
  ...props
}: ButtonProps & {
  needs: string | readonly string[];
  rule?: string;
  /** A link target (the button navigates) instead of `onClick`. */
  to?: string;
  onClick?: () => void;
  children: ReactNode;
  'data-testid'?: string;
}) {
  const gate = useGate(needs, rule);
  if (gate.allowed)
    return to ? (
      <Button component={Link} to={to} {...props}>
        {children}
      </Button>
    ) : (
      <Button onClick={onClick} {...props}>
        {children}
      </Button>
    );
  return (
    <Tooltip label={gate.reason}>
      <Button {...props} data-disabled aria-disabled onClick={(e) => e.preventDefault()} aria-description={gate.reason}>
        {children}
      </Button>
    </Tooltip>
  );
}
