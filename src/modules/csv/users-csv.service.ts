import { noteBulkWrite } from '../../db/analyze.js';
import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify';
import { appendAudit } from '../../infra/audit-sink.repo.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { forgetPowers, requireCapability } from '../access/actor-access.js';
import { presentUser } from '../users/users.present.js';
import { snapshotsOf } from '../snapshot/snapshot-store.js';
import { RulesState } from '../users/rules-state.js';
import { listUsers } from '../users/users.repo.js';
import type { UsersService } from '../users/users.service.js';
import { COLUMN_NAMES, columnNamed, userCells, type Column } from './users-csv.columns.js';
import * as repo from './users-csv.repo.js';
import { BATCH, RowImport } from './users-csv.rows.js';
import {
  emptyResult,
  finished,
  foldConfigEvents,
  importAudit,
  interrupted,
  record,
  toJob,
} from './users-csv.results.js';
import type { ImportJob, ImportResult, UsersExportQuery, UsersImportQuery } from './users-csv.schemas.js';

/** P3 limits: a larger file answers 413 `payload_too_large`. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
const MAX_IMPORT_ROWS = 100_000;
/** Rows per export page (keyset paging: constant memory at any size). */
const EXPORT_PAGE = 500;
/**
 * Rows per committed part of an import of only the valid rows: between parts the database serves
 * other requests (the embedded database has one connection; a part of 500 rows holds it ~0.2 s).
 */
const PART = BATCH;
/** Rows between two pauses of an import for the event loop's other work. */
const YIELD_EVERY = 50;

/** Guesses the separator from the header line: the most frequent of `,`, `;` and tab outside quotes. */
function detectDelimiter(text: string): string {
  const candidates = [',', ';', '\t'];
  const counts = new Map(candidates.map((c) => [c, 0]));
  let quoted = false;
  for (const ch of text.slice(0, 64 * 1024)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts].reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

function fileError(detail: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('validation_failed', detail, { rule: 'P3', field: '/', extra });
}

/** Parses the file (quoted fields, BOM, `,` `;` or tab) into its columns and data rows; refuses a malformed file. */
function parseUsersCsv(text: string): { columns: Column[]; records: string[][] } {
  if (text.includes('\u0000')) throw fileError('the file contains a NUL character');
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: 64 * 1024,
    });
  } catch (err) {
    if (err instanceof CsvError)
      throw fileError(`the file is not valid CSV: ${err.message}`, { line: (err as { lines?: number }).lines ?? null });
    throw err;
  }
  const [header, ...records] = rows;
  if (!header) throw fileError('the file is empty: the first row names the columns');
  if (records.length > MAX_IMPORT_ROWS)
    throw new AppError('payload_too_large', `the file has ${records.length} rows; at most ${MAX_IMPORT_ROWS} at once`, {
      rule: 'P3',
      field: '/',
      extra: { limit: MAX_IMPORT_ROWS },
    });
  const columns = header.map((h, i) => {
    const c = columnNamed(h);
    if (!c) throw fileError(`unknown column "${h}"; the columns are ${COLUMN_NAMES.join(', ')}`, { column: i + 1 });
    return c;
  });
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup) throw fileError(`the column ${dup.name} appears twice`);
  return { columns, records };
}

/** Renewal of a running import's lease on its job, and how long one lasts (a job whose lease ran out is failed). */
const LEASE_RENEW_MS = 10_000;
const LEASE_MS = 60_000;

/** An import this node runs: its job as the progress endpoint shows it, kept current in memory. */
interface LiveJob {
  tenantId: string;
  job: ImportJob;
}

/** P3: users to and from CSV. Every imported row goes through the users service (C1-C9, G*, A*). */
export class UsersCsvService {
  /**
   * The imports this node runs. Their progress is answered from here, without a database read, so a
   * progress request never waits for the connection an import holds (the embedded database has one).
   */
  private readonly live = new Map<string, LiveJob>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly users: UsersService,
  ) {}

  /** The users the list's filters select, as CSV, read page by page (keyset) and streamed. */
  async exportUsers(ctx: RequestContext, tenantId: string, query: UsersExportQuery): Promise<Readable> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const { delimiter = ',', bom = false, ...filter } = query;
    const db = this.deps.db;
    async function* cells() {
      let after: [string, string] | undefined;
      do {
        const rows = await listUsers(db, { ...filter, tenantId, limit: EXPORT_PAGE + 1, ...(after && { after }) });
        const page = rows.slice(0, EXPORT_PAGE);
        for (const r of page) yield userCells(presentUser(r, []));
        const last = page[page.length - 1];
        after = rows.length > EXPORT_PAGE && last ? [last.display_name, last.id] : undefined;
      } while (after);
    }
    const out = stringify({ header: true, columns: COLUMN_NAMES, delimiter, bom });
    pipeline(Readable.from(cells()), out, (err) => {
      if (err) this.deps.log.warn({ err, tenantId }, 'users CSV export stopped');
    });
    return out;
  }

  /**
   * Starts an import: the file is parsed and its limits checked now (a bad file is refused at once),
   * the rows are then checked and written in the background; the job reports progress and the result.
   */
  async startImport(ctx: RequestContext, tenantId: string, text: string, query: UsersImportQuery): Promise<ImportJob> {
    const powers = await requireCapability(this.deps.db, ctx, tenantId, ['users:create', 'users:edit']);
    const file = parseUsersCsv(text);
    const dryRun = query.dryRun ?? false;
    const mode = query.mode ?? 'all';
    const row = await repo.insertJob(this.deps.db, {
      id: newId('imp'),
      tenant_id: tenantId,
      actor_type: ctx.actor.kind,
      actor_id: ctx.actor.kind === 'provider' ? null : ctx.actor.id,
      dry_run: dryRun,
      mode,
      status: 'running',
      total_rows: file.records.length,
      finished_at: null,
      result: null,
      node_id: this.deps.nodeId,
      lease_until: new Date(Date.now() + LEASE_MS),
    });
    const job = toJob(row);
    this.live.set(job.id, { tenantId, job: { ...job } });
    const lease =
      this.deps.dbKind === 'postgres' ? setInterval(() => this.renew(tenantId, job.id), LEASE_RENEW_MS) : null;
    lease?.unref();
    const rows = new RowImport(this.users, tenantId, powers, file.columns, file.records);
    const running = dryRun
      ? this.runDry(ctx, row, rows)
      : mode === 'valid'
        ? this.runInParts(ctx, row, rows)
        : this.runWhole(ctx, row, rows);
    const run = running.finally(() => {
      if (lease) clearInterval(lease);
      this.live.delete(job.id);
      this.running.delete(run);
      forgetPowers(ctx);
    });
    this.running.add(run);
    return job;
  }

  /** A job: from memory while this node runs it (no database read), else from its row. */
  async job(ctx: RequestContext, tenantId: string, jobId: string): Promise<ImportJob> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:create', 'users:edit']);
    const live = this.live.get(jobId);
    if (live && live.tenantId === tenantId) return { ...live.job };
    let row = await repo.findJob(this.deps.db, tenantId, jobId);
    if (!row) throw notFound('import');
    if (row.status === 'running' && row.lease_until && new Date(row.lease_until) < new Date()) {
      if (await repo.failLapsedJob(this.deps.db, tenantId, jobId, interrupted(row)))
        this.deps.log.warn({ tenantId, job: jobId, node: row.node_id }, 'users CSV import lost its node: failed');
      row = (await repo.findJob(this.deps.db, tenantId, jobId))!;
    }
    return toJob(row);
  }

  /** Waits for the imports this node runs (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.running]);
  }

  /** Renews a running import's lease (PostgreSQL: another connection than the import's). */
  private renew(tenantId: string, jobId: string): void {
    void repo
      .updateJob(this.deps.db, tenantId, jobId, {
        lease_until: new Date(Date.now() + LEASE_MS),
        processed_rows: this.live.get(jobId)?.job.processedRows ?? 0,
      })
      .catch(() => undefined);
  }

  /**
   * All or nothing: every row in one transaction, so rows see the rows before them and one refused
   * row (or a crash) leaves nothing written. The result commits with the rows it reports.
   */
  private async runWhole(ctx: RequestContext, job: repo.ImportJobRow, rows: RowImport): Promise<void> {
    const { tenant_id: tenantId } = job;
    const total = rows.records.length;
    const result = emptyResult();
    let status: ImportJob['status'] = 'done';
    try {
      await inTransaction(this.deps, ctx, async (uow) => {
        rows.bind(uow, await RulesState.load(uow, tenantId));
        await this.importRows(rows, 0, total, result, async (done) => {
          if (uow.auditEntries.length > 0) await appendAudit(uow.tx, uow.auditEntries.splice(0));
          foldConfigEvents(uow.events);
          this.advance(job.id, done);
          if (this.deps.dbKind === 'postgres') this.renew(tenantId, job.id);
        });
        if (result.invalid > 0) {
          status = 'rejected';
          throw new Undo();
        }
        importAudit(uow, job, total, result);
        foldConfigEvents(uow.events);
        // The result commits with the rows it reports: a node stopping after commit cannot leave the job
        // "running" (nor, once its lease runs out, "failed" over rows that were written).
        await repo.updateJob(uow.tx, tenantId, job.id, finished('done', total, result));
      });
      this.wroteUsers(result.created + result.updated);
      return;
    } catch (err) {
      if (!(err instanceof Undo)) {
        status = 'failed';
        result.failure = 'the import stopped on an internal error; nothing was written';
        result.failureCode = 'internal_error';
        this.deps.log.error({ err, tenantId, job: job.id }, 'users CSV import failed');
      }
    }
    await this.saveEnd(job, finished(status, total, result));
  }

  /**
   * Only the valid rows: committed a part at a time (PART rows), the job's progress and results so far
   * committed with each part, so the database (the embedded one has one connection) serves other
   * requests between parts, and a stop loses no committed row's report.
   */
  private async runInParts(ctx: RequestContext, job: repo.ImportJobRow, rows: RowImport): Promise<void> {
    const { tenant_id: tenantId } = job;
    const total = rows.records.length;
    let result = emptyResult();
    let state: RulesState | null = null;
    let done = 0;
    try {
      while (done < total || total === 0) {
        const end = Math.min(total, done + PART);
        const draft = structuredClone(result);
        await inTransaction(this.deps, ctx, async (uow) => {
          state = state ? await state.resume(uow) : await RulesState.load(uow, tenantId);
          rows.bind(uow, state);
          await this.importRows(rows, done, end, draft, async () => foldConfigEvents(uow.events, true));
          if (end === total) importAudit(uow, job, total, draft);
          foldConfigEvents(uow.events, true);
          await repo.updateJob(
            uow.tx,
            tenantId,
            job.id,
            end === total
              ? finished('done', total, draft)
              : { processed_rows: end, result: JSON.stringify(draft), lease_until: new Date(Date.now() + LEASE_MS) },
          );
        });
        this.wroteUsers(draft.created + draft.updated - (result.created + result.updated));
        result = draft;
        done = end;
        this.advance(job.id, done);
        if (done === total) return;
        // The node's snapshot catches up with the part before the next one takes the database: its
        // readers (every request's powers) wait for it, and on the embedded database it waits for the connection.
        await snapshotsOf(this.deps.db)?.get(tenantId);
      }
    } catch (err) {
      result.failure = `the import stopped on an internal error after ${done} of ${total} rows; the valid rows before it were written (listed in rows)`;
      result.failureCode = 'internal_error';
      this.deps.log.error({ err, tenantId, job: job.id }, 'users CSV import failed');
      await this.saveEnd(job, { ...finished('failed', done, result) });
    }
  }

  /**
   * A dry run: every row checked and written a part of PART rows at a time, each part rolled back, so
   * the database serves other requests between parts. What rows after a part need of the rows in it
   * is carried in memory: the rules' state (pool counts included, login emails), the users the file
   * already changes or creates, and the emails it moves.
   */
  private async runDry(ctx: RequestContext, job: repo.ImportJobRow, rows: RowImport): Promise<void> {
    const { tenant_id: tenantId } = job;
    const total = rows.records.length;
    const result = emptyResult();
    let state: RulesState | null = null;
    let status: ImportJob['status'] = 'done';
    try {
      for (let done = 0; done < total; done += PART) {
        const end = Math.min(total, done + PART);
        await inTransaction(this.deps, ctx, async (uow) => {
          state = state ? await state.resume(uow, true) : await RulesState.load(uow, tenantId);
          rows.bind(uow, state);
          await this.importRows(rows, done, end, result, async () => foldConfigEvents(uow.events));
          throw new Undo();
        }).catch((err: unknown) => {
          if (!(err instanceof Undo)) throw err;
        });
        this.advance(job.id, end);
      }
    } catch (err) {
      status = 'failed';
      result.failure = 'the dry run stopped on an internal error; nothing was written';
      result.failureCode = 'internal_error';
      this.deps.log.error({ err, tenantId, job: job.id }, 'users CSV dry run failed');
    }
    await this.saveEnd(job, finished(status, total, result));
  }

  /**
   * Rows [from, to) through `rows`, their results recorded in file order; every BATCH rows `step`
   * runs with the count done (progress, audit entries written, change events folded).
   */
  private async importRows(
    rows: RowImport,
    from: number,
    to: number,
    result: ImportResult,
    step: (done: number) => Promise<void>,
  ): Promise<void> {
    for (let i = from; i < to; i++) {
      rows.results.push(await rows.importRow(i));
      if (rows.pending.length >= BATCH) await rows.flush();
      // Results are recorded in file order once no create before them can still fail its write.
      for (const settled of rows.settled()) record(result, settled);
      if ((i + 1) % BATCH === 0) await step(i + 1);
      // The embedded database answers in the same turn of the event loop: without a pause, an import
      // would keep every other request (and its own progress) waiting until it ends.
      if ((i + 1) % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await rows.flush();
    for (const settled of rows.settled()) record(result, settled);
  }

  /** Counts committed rows toward the next ANALYZE of users (statistics after bulk writes). */
  private wroteUsers(rows: number): void {
    noteBulkWrite(this.deps.db, 'users', rows, (err) =>
      this.deps.log.warn({ err }, 'users CSV import: ANALYZE after the import failed'),
    );
  }

  /** The rows done so far, in this node's memory (the progress endpoint answers from it). */
  private advance(jobId: string, done: number): void {
    const live = this.live.get(jobId);
    if (live) live.job.processedRows = done;
  }

  private async saveEnd(job: repo.ImportJobRow, end: ReturnType<typeof finished>): Promise<void> {
    await repo
      .updateJob(this.deps.db, job.tenant_id, job.id, end)
      .catch((err: unknown) => this.deps.log.error({ err, job: job.id }, 'users CSV import: result not saved'));
  }
}

/** The whole import is undone: a dry run, or `all` mode with an error. */
class Undo extends Error {}
