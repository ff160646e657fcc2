import type { ChangeEvent } from '../../infra/bus.js';
import type { UnitOfWork } from '../../infra/unit-of-work.js';
import type * as repo from './users-csv.repo.js';
import type { RowResult } from './users-csv.rows.js';
import type { ImportJob, ImportResult } from './users-csv.schemas.js';

/** Errors and row outcomes a result lists (the counts cover every row). */
const MAX_LISTED = 1000;

/** User ids a change event names at most before the bus makes it tenant-wide (`compactEvent`). */
const IDS_PER_EVENT = 100;

/**
 * Folds config events into one: an import of thousands of rows is one change (tenant-wide past the
 * bus's id limit). With `byUser` (a part of an import committed in parts), into events of at most
 * IDS_PER_EVENT users each instead, so nodes reload those users, not the whole tenant, after each part.
 */
export function foldConfigEvents(events: ChangeEvent[], byUser = false): void {
  const configs = events.filter((e): e is Extract<ChangeEvent, { type: 'config' }> => e.type === 'config');
  if (configs.length < 2) return;
  const ids = configs.some((e) => e.userIds === null) ? null : [...new Set(configs.flatMap((e) => e.userIds!))];
  const tenantId = configs[0]!.tenantId;
  const version = Math.max(...configs.map((e) => e.version));
  const groups =
    ids && (byUser || ids.length <= IDS_PER_EVENT)
      ? Array.from({ length: Math.ceil(ids.length / IDS_PER_EVENT) }, (_, i) =>
          ids.slice(i * IDS_PER_EVENT, (i + 1) * IDS_PER_EVENT),
        )
      : [null];
  const others = events.filter((e) => e.type !== 'config');
  events.length = 0;
  events.push(...others, ...groups.map((userIds): ChangeEvent => ({ type: 'config', tenantId, userIds, version })));
}

/** The import's own audit entry, with its counts (AU1). */
export function importAudit(uow: UnitOfWork, job: repo.ImportJobRow, rows: number, result: ImportResult): void {
  uow.audit({
    tenantId: job.tenant_id,
    action: 'user.import',
    targetType: 'user_import',
    targetId: job.id,
    after: {
      mode: job.mode,
      rows,
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      invalid: result.invalid,
    },
  });
}

/** A row's result in the import's: its count, its outcome and its errors (the first MAX_LISTED listed). */
export function record(result: ImportResult, o: RowResult): void {
  const key = ({ create: 'created', update: 'updated', unchanged: 'unchanged', invalid: 'invalid' } as const)[
    o.outcome.action
  ];
  result[key] += 1;
  if (result.rows.length < MAX_LISTED) result.rows.push(o.outcome);
  else result.rowsTruncated = true;
  for (const e of o.errors) {
    if (result.errors.length < MAX_LISTED) result.errors.push(e);
    else result.errorsTruncated = true;
  }
}

/**
 * The result of a job whose node stopped: nothing written in one transaction; with only the valid
 * rows, the parts committed before the stop stay, with their results.
 */
export function interrupted(row: repo.ImportJobRow): ImportResult {
  const saved = row.result as ImportResult | null;
  const parts = row.mode === 'valid' && !row.dry_run && saved !== null;
  return {
    ...(parts ? saved : emptyResult()),
    failure: parts
      ? `the node running the import stopped after ${row.processed_rows} of ${row.total_rows} rows; the valid rows before them were written (listed in rows): import the rest of the file again`
      : 'the node running the import stopped before it finished; nothing was written: import the file again',
    failureCode: 'import_interrupted',
  };
}

export function toJob(row: repo.ImportJobRow): ImportJob {
  return {
    id: row.id,
    status: row.status as ImportJob['status'],
    dryRun: row.dry_run,
    mode: row.mode as ImportJob['mode'],
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    // Parts of an import of the valid rows save their results as they commit; the job shows them at its end.
    result: row.status === 'running' ? null : ((row.result as ImportResult | null) ?? null),
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}

/** A job's final state. */
export function finished(status: ImportJob['status'], rows: number, result: ImportResult) {
  return { status, processed_rows: rows, result: JSON.stringify(result), finished_at: new Date(), lease_until: null };
}

export function emptyResult(): ImportResult {
  return {
    created: 0,
    updated: 0,
    unchanged: 0,
    invalid: 0,
    errors: [],
    errorsTruncated: false,
    rows: [],
    rowsTruncated: false,
  };
}
