import type { ReactNode } from 'react';
import { Table, Text } from '@mantine/core';

/** The row a table shows when it has nothing to list, across all of its columns. */
export function EmptyTableRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={columns}>
        <Text size="sm" c="dimmed">
          {children}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
