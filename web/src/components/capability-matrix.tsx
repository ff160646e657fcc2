/** Editable module x action matrix (profiles and custom grants). Cells the actor cannot grant are greyed (C3). */
import { Checkbox, ScrollArea, Table, Text, Tooltip } from '@mantine/core';
import { useI18n } from '../i18n/index.js';
import { MATRIX_ACTIONS, MATRIX_ROWS, setModule, toggleGrant, type CapabilityId } from '../lib/capability-matrix.js';

export interface CapabilityMatrixProps {
  value: readonly CapabilityId[];
  onChange: (grants: CapabilityId[]) => void;
  /** Capabilities the actor may grant; others are disabled with the C3 reason. `null` = all. */
  grantable?: ReadonlySet<string> | null;
  readOnly?: boolean;
  label: string;
  /** A short note under a cell (e.g. G15: the supervisor level billable content needs). */
  note?: (capability: CapabilityId) => string | null;
}

export function CapabilityMatrix({
  value,
  onChange,
  grantable = null,
  readOnly = false,
  label,
  note,
}: CapabilityMatrixProps) {
  const { t, has } = useI18n();
  const moduleLabel = (m: string) => (has(`module.${m}`) ? t(`module.${m}`) : m);
  const actionLabel = (a: string) => (has(`action.${a}`) ? t(`action.${a}`) : a);
  return (
    <ScrollArea type="auto">
      <Table withTableBorder withColumnBorders striped aria-label={label} data-testid="capability-matrix" miw={720}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('matrix.module')}</Table.Th>
            {MATRIX_ACTIONS.map((a) => (
              <Table.Th key={a} ta="center">
                {actionLabel(a)}
              </Table.Th>
            ))}
            <Table.Th ta="center">{t('matrix.all')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {MATRIX_ROWS.map((row) => {
            const caps = row.cells.flatMap((c) => (c.capability ? [c.capability] : []));
            const all = caps.every((c) => value.includes(c));
            const rowBlocked =
              readOnly || caps.some((c) => grantable !== null && !grantable.has(c) && !value.includes(c));
            return (
              <Table.Tr key={row.module}>
                <Table.Th scope="row">
                  <Text size="sm" fw={500}>
                    {moduleLabel(row.module)}
                  </Text>
                </Table.Th>
                {row.cells.map((cell) => {
                  if (!cell.capability) return <Table.Td key={cell.action} />;
                  const cap = cell.capability;
                  const on = value.includes(cap);
                  const blocked = !readOnly && grantable !== null && !grantable.has(cap) && !on;
                  const box = (
                    <Checkbox
                      aria-label={t('matrix.cell', {
                        module: moduleLabel(row.module),
                        action: actionLabel(cell.action),
                      })}
                      checked={on}
                      disabled={readOnly || blocked}
                      data-capability={cap}
                      onChange={(e) => onChange(toggleGrant(value, cap, e.currentTarget.checked))}
                      styles={{ body: { justifyContent: 'center' } }}
                    />
                  );
                  const text = note?.(cap);
                  return (
                    <Table.Td key={cell.action} ta="center">
                      {blocked ? (
                        <Tooltip label={t('block.escalation_refused')}>
                          <span>{box}</span>
                        </Tooltip>
                      ) : (
                        box
                      )}
                      {text && (
                        <Text size="xs" c="dimmed" data-testid="matrix-note">
                          {text}
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
                <Table.Td ta="center">
                  <Checkbox
                    aria-label={t('matrix.rowAll', { module: moduleLabel(row.module) })}
                    checked={all}
                    disabled={rowBlocked}
                    indeterminate={!all && caps.some((c) => value.includes(c))}
                    onChange={(e) => onChange(setModule(value, row.module, e.currentTarget.checked))}
                    styles={{ body: { justifyContent: 'center' } }}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
