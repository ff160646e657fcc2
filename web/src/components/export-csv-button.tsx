/** Downloads the users the list's filters select as CSV (P3), with a byte order mark so spreadsheets read UTF-8. */
import { useState } from 'react';
import { Button } from '@mantine/core';
import { useTenantId } from '../api/hooks.js';
import { useI18n } from '../i18n/index.js';
import { toUserQuery, type UserFilters } from '../lib/user-filters.js';
import { useSession } from '../session.js';
import { ProblemAlert } from './problem-alert.js';

export function ExportCsvButton({ filters }: { filters: UserFilters }) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function download() {
    if (!tenantId) return;
    setBusy(true);
    setError(null);
    try {
      const { limit: _limit, cursor: _cursor, ...query } = toUserQuery(filters, null, 1);
      const csv = await client.users.exportCsv(tenantId, query);
      const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'users.csv';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button variant="default" onClick={() => void download()} loading={busy} data-testid="users-export">
        {t('users.export')}
      </Button>
      {error !== null && <ProblemAlert error={error} onClose={() => setError(null)} />}
    </>
  );
}
