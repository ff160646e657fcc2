import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify';
import { validateAsBody } from '../../http/validation.js';
import { appendAudit } from '../../infra/audit-sink.repo.js';
import type { ChangeEvent } from '../../infra/bus.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { inTransaction, type UnitOfWork } from '../../infra/unit-of-work.js';
import { forgetPowers, requireCapability, type ActorPowers } from '../access/actor-access.js';
import { USER_FIELD_OWNERSHIP } from '../platform/ownership.js';
import { presentUser } from '../users/users.present.js';
import type { UserRow } from '../../db/schema.js';
import { RulesState } from '../users/rules-state.js';
import { listUsers } from '../users/users.repo.js';
import { UserPatch, type UserCreate } from '../users/users.schemas.js';
import type { PlannedCreate, UsersService } from '../users/users.service.js';
import {
  CellError,
  changedPart,
  COLUMN_NAMES,
  columnNamed,
  columnOfPointer,
  COLUMNS,
  mergeParts,
  userCells,
} from './users-csv.columns.js';
import * as repo from './users-csv.repo.js';
import type {
  ImportJob,
  ImportResult,
  ImportRowError,
  ImportRowOutcome,
  UsersExportQuery,
  UsersImportQuery,
} from './users-csv.schemas.js';

/** P3 limits: a larger file answers 413 `payload_too_large`. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
const MAX_IMPORT_ROWS = 100_000;
/** Errors and row outcomes a result lists (the counts cover every row). */
const MAX_LISTED = 1000;
/** Rows per export page (keyset paging: constant memory at any size). */
const EXPORT_PAGE = 500;
/** Every this many rows an import reports progress, writes its audit entries and folds its change events. */
const BATCH = 500;

type Column = NonNullable<ReturnType<typeof columnNamed>>;

/** The whole import is undone: a dry run, or `all` mode with an error. */
class Undo extends Error {}

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

function toJob(row: repo.ImportJobRow, live?: number): ImportJob {
  return {
    id: row.id,
    status: row.status as ImportJob['status'],
    dryRun: row.dry_run,
    mode: row.mode as ImportJob['mode'],
    totalRows: row.total_rows,
    processedRows: Math.max(row.processed_rows, live ?? 0),
    result: (row.result as ImportResult | null) ?? null,
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}

/** One refusal of the users service as row errors (every violation when it carries several). */
function rowErrors(row: number, err: AppError): ImportRowError[] {
  const violations = (err.options.extra?.violations as
    Array<{ code: string; rule?: string; field?: string; detail: string }> | undefined) ?? [
    { code: err.code, rule: err.rule, field: err.field, detail: err.message },
  ];
  return violations.map((v) => ({
    row,
    column: columnOfPointer(v.field),
    code: v.code,
    rule: v.rule ?? null,
    detail: v.detail,
  }));
}

/** Folds config events into one (tenant-wide past the bus's id limit): an import of thousands of rows is one change. */
function foldConfigEvents(events: ChangeEvent[]): void {
  const configs = events.filter((e): e is Extract<ChangeEvent, { type: 'config' }> => e.type === 'config');
  if (configs.length < 2) return;
  const ids = configs.some((e) => e.userIds === null) ? null : [...new Set(configs.flatMap((e) => e.userIds!))];
  const folded: ChangeEvent = {
    type: 'config',
    tenantId: configs[0]!.tenantId,
    userIds: ids && ids.length <= 100 ? ids : null,
    version: Math.max(...configs.map((e) => e.version)),
  };
  const others = events.filter((e) => e.type !== 'config');
  events.length = 0;
  events.push(...others, folded);
}

/** Renewal of a running import's lease on its job, and how long one lasts (a job whose lease ran out is failed). */
const LEASE_RENEW_MS = 10_000;
const LEASE_MS = 60_000;

type RowResult = { outcome: ImportRowOutcome; errors: ImportRowError[] };
type Fail = (column: string | null, code: string, rule: string | null, detail: string) => void;

/** Users the next rows of a file name, read in one query (`findUsersNamed`). */
class Lookahead {
  readonly byId = new Map<string, UserRow>();
  readonly byExternalId = new Map<string, UserRow>();
  readonly byEmail = new Map<string, UserRow[]>();
  constructor(
    readonly named: { ids: Set<string>; externalIds: Set<string>; emails: Set<string> },
    rows: UserRow[],
  ) {
    for (const r of rows) {
      if (named.ids.has(r.id)) this.byId.set(r.id, r);
      if (r.external_id && named.externalIds.has(r.external_id)) this.byExternalId.set(r.external_id, r);
      if (r.email && r.status !== 'removed') this.addEmail(r.email, r);
    }
  }
  addEmail(email: string, r: UserRow): void {
    const key = email.toLowerCase();
    if (this.named.emails.has(key)) this.byEmail.set(key, [...(this.byEmail.get(key) ?? []), r]);
  }
  dropEmail(email: string, id: string): void {
    const key = email.toLowerCase();
    const list = this.byEmail.get(key);
    if (list)
      this.byEmail.set(
        key,
        list.filter((r) => r.id !== id),
      );
  }
}

/**
 * One import in progress: the rules' reads of the tenant (once, `RulesState`), the users the next rows
 * name (read ahead), the rows already matched to a user, and the new users checked but not yet written
 * (written a batch at a time in one statement).
 */
interface ImportRun {
  uow: UnitOfWork;
  tenantId: string;
  powers: ActorPowers;
  state: RulesState;
  columns: Column[];
  records: string[][];
  /** user id → the row of this file that changes or creates it */
  touched: Map<string, number>;
  /** lower(email) → the user a row of this file creates with it */
  createdEmails: Map<string, string>;
  lookahead: { until: number; users: Lookahead } | null;
  /** creates checked by the rules, written at the next flush */
  pending: Array<{ plan: PlannedCreate; result: RowResult }>;
  /** row results in file order, recorded at the next flush (a pending create may still fail its write) */
  results: RowResult[];
}

/** P3: users to and from CSV. Every imported row goes through the users service (C1-C9, G*, A*). */
export class UsersCsvService {
  /** Rows done by the imports this node runs (the job row has them too once PostgreSQL lets it be read). */
  private readonly live = new Map<string, number>();
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
    const job = await repo.insertJob(this.deps.db, {
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
    this.live.set(job.id, 0);
    const lease =
      this.deps.dbKind === 'postgres' ? setInterval(() => this.renew(tenantId, job.id), LEASE_RENEW_MS) : null;
    lease?.unref();
    const run = this.run(ctx, tenantId, powers, job, file).finally(() => {
      if (lease) clearInterval(lease);
      this.live.delete(job.id);
      this.running.delete(run);
    });
    this.running.add(run);
    return toJob(job);
  }

  async job(ctx: RequestContext, tenantId: string, jobId: string): Promise<ImportJob> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:create', 'users:edit']);
    let row = await repo.findJob(this.deps.db, tenantId, jobId);
    if (!row) throw notFound('import');
    const live = this.live.get(jobId);
    if (row.status === 'running' && live === undefined && row.lease_until && new Date(row.lease_until) < new Date()) {
      const result: ImportResult = {
        ...emptyResult(),
        failure: 'the node running the import stopped before it finished; nothing was written: import the file again',
        failureCode: 'import_interrupted',
      };
      if (await repo.failLapsedJob(this.deps.db, tenantId, jobId, result))
        this.deps.log.warn({ tenantId, job: jobId, node: row.node_id }, 'users CSV import lost its node: failed');
      row = (await repo.findJob(this.deps.db, tenantId, jobId))!;
    }
    return toJob(row, live);
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
        processed_rows: this.live.get(jobId) ?? 0,
      })
      .catch(() => undefined);
  }

  private async run(
    ctx: RequestContext,
    tenantId: string,
    powers: ActorPowers,
    job: repo.ImportJobRow,
    file: { columns: Column[]; records: string[][] },
  ): Promise<void> {
    const result = emptyResult();
    let status: ImportJob['status'] = 'done';
    try {
      await inTransaction(this.deps, ctx, async (uow) => {
        const r: ImportRun = {
          uow,
          tenantId,
          powers,
          state: await RulesState.load(uow, tenantId),
          columns: file.columns,
          records: file.records,
          touched: new Map(),
          createdEmails: new Map(),
          lookahead: null,
          pending: [],
          results: [],
        };
        for (let i = 0; i < file.records.length; i++) {
          r.results.push(await this.importRow(r, i));
          if (r.pending.length >= BATCH) await this.flush(r);
          // Results are recorded in file order once no create before them can still fail its write.
          if (r.pending.length === 0) for (const done of r.results.splice(0)) this.record(result, done);
          if ((i + 1) % BATCH === 0) await this.progress(r, job.id, i + 1);
        }
        await this.flush(r);
        for (const done of r.results.splice(0)) this.record(result, done);
        if (job.dry_run) throw new Undo();
        if (job.mode === 'all' && result.invalid > 0) {
          status = 'rejected';
          throw new Undo();
        }
        uow.audit({
          tenantId,
          action: 'user.import',
          targetType: 'user_import',
          targetId: job.id,
          after: {
            mode: job.mode,
            rows: file.records.length,
            created: result.created,
            updated: result.updated,
            unchanged: result.unchanged,
            invalid: result.invalid,
          },
        });
        foldConfigEvents(uow.events);
        // The result commits with the rows it reports: a node stopping after commit cannot leave the job
        // "running" (nor, once its lease runs out, "failed" over rows that were written).
        await repo.updateJob(uow.tx, tenantId, job.id, finished('done', file.records.length, result));
      });
      forgetPowers(ctx);
      return;
    } catch (err) {
      if (!(err instanceof Undo)) {
        status = 'failed';
        result.failure = 'the import stopped on an internal error; nothing was written';
        result.failureCode = 'internal_error';
        this.deps.log.error({ err, tenantId, job: job.id }, 'users CSV import failed');
      }
    }
    await repo
      .updateJob(this.deps.db, tenantId, job.id, finished(status, file.records.length, result))
      .catch((err: unknown) => this.deps.log.error({ err, job: job.id }, 'users CSV import: result not saved'));
  }

  /**
   * Writes the creates checked since the last flush in one statement (in a savepoint); should the
   * database refuse one (a concurrent writer took its email), they are written one by one, and the
   * refused ones become row errors.
   */
  private async flush(r: ImportRun): Promise<void> {
    const batch = r.pending.splice(0);
    if (batch.length === 0) return;
    // Each checked create recorded one change in the rules' state, the last ones recorded.
    const stateMark = r.state.mark() - batch.length;
    if (await this.attempt(r, null, () => this.writeCreates(r, batch))) return;
    r.state.undoTo(stateMark);
    for (const one of batch) {
      if (await this.attempt(r, one.result, () => this.writeCreates(r, [one]))) r.state.record(null, one.plan.after);
      else Object.assign(one.result.outcome, { action: 'invalid', userId: null, changes: [] });
    }
  }

  /** Writes checked creates; I3: a new user with website access and an email is invited, as through the API. */
  private async writeCreates(r: ImportRun, batch: ImportRun['pending']): Promise<void> {
    const created = await this.users.writeCreates(
      r.uow,
      batch.map((b) => b.plan),
    );
    await this.users.invitePasswordless(r.uow, r.tenantId, created);
  }

  private record(result: ImportResult, o: RowResult): void {
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

  /** Progress: in memory for this node, in the job row for the others (PostgreSQL: another connection). */
  private async progress(r: ImportRun, jobId: string, done: number): Promise<void> {
    this.live.set(jobId, done);
    if (r.uow.auditEntries.length > 0) await appendAudit(r.uow.tx, r.uow.auditEntries.splice(0));
    foldConfigEvents(r.uow.events);
    if (this.deps.dbKind === 'postgres') this.renew(r.tenantId, jobId);
  }

  /** One row: read its cells, find its user, and check its create (written at the next flush) or apply its change. */
  private async importRow(r: ImportRun, index: number): Promise<RowResult> {
    const row = index + 2;
    const cells = r.records[index]!;
    const { columns } = r;
    const errors: ImportRowError[] = [];
    const fail: Fail = (column, code, rule, detail) => errors.push({ row, column, code, rule, detail });
    if (cells.length !== columns.length)
      fail(null, 'validation_failed', 'P3', `the row has ${cells.length} cells, the header ${columns.length}`);
    const given = new Map<string, string>();
    const parts: Array<Partial<UserCreate>> = [];
    columns.forEach((c, j) => {
      const cell = cells[j] ?? '';
      given.set(c.name, cell);
      if (c.kind !== 'field' || !c.write) return;
      try {
        parts.push(c.write(cell));
      } catch (err) {
        if (!(err instanceof CellError)) throw err;
        fail(c.name, 'validation_failed', 'P3', err.message);
      }
    });
    const wanted = mergeParts(parts);
    if (errors.length === 0) {
      // The same schema as PATCH /users/{id}: what the API would refuse as a request, the row refuses.
      const problem = validateAsBody(UserPatch, wanted);
      if (problem) {
        const [pointer = '/', ...rest] = problem.split(' ');
        fail(columnOfPointer(pointer), 'validation_failed', 'E2', `${pointer} ${rest.join(' ')}`);
      }
    }
    const name = given.get('displayName') ?? '';
    const invalid = (userId: string | null) => ({
      outcome: { row, action: 'invalid' as const, userId, displayName: name, changes: [] },
      errors,
    });
    const target = await this.findTarget(r, index, given, wanted, fail);
    if (errors.length) return invalid(target?.id ?? null);
    if (target) {
      const earlier = r.touched.get(target.id);
      if (earlier !== undefined) fail(null, 'conflict', 'P3', `row ${earlier} of this file already changes this user`);
      const current = presentUser(target, []);
      this.refuseReadOnly(given, current, fail);
      if (errors.length) return invalid(target.id);
      r.touched.set(target.id, row);
      const patch = changedPart(current, wanted);
      const changes = COLUMNS.filter((c) => c.kind === 'field' && c.write && columnChanged(c, patch)).map(
        (c) => c.name,
      );
      const displayName = patch.displayName ?? current.displayName;
      if (changes.length === 0)
        return { outcome: { row, action: 'unchanged', userId: target.id, displayName, changes }, errors };
      // A change is written at once, after the creates checked before it.
      await this.flush(r);
      const version = given.get('version');
      const outcome: ImportRowOutcome = { row, action: 'update', userId: target.id, displayName, changes };
      const ok = await this.attempt(r, { outcome, errors }, async () => {
        const after = await this.users.patchIn(r.uow, r.powers, r.tenantId, target.id, patch, {
          ...(version ? { ifMatch: version } : {}),
          state: r.state,
        });
        if (target.email && target.email !== after.email) r.lookahead?.users.dropEmail(target.email, target.id);
        if (after.email && target.email !== after.email) r.lookahead?.users.addEmail(after.email, target);
      });
      return ok ? { outcome, errors } : invalid(target.id);
    }
    if (given.get('extension'))
      fail(
        'extension',
        'read_only_field',
        USER_FIELD_OWNERSHIP.extension.rule,
        'a new user has no extension: the phone system gives extensions',
      );
    const source = given.get('source');
    if (source && source !== 'manual')
      fail(
        'source',
        'read_only_field',
        'P3',
        'an import creates manual users only: platform users come from the phone system',
      );
    if (!wanted.displayName) fail('displayName', 'validation_failed', 'P3', 'a new user needs a displayName');
    if (errors.length) return invalid(null);
    let plan: PlannedCreate;
    try {
      plan = await this.users.planCreate(r.uow, r.powers, r.tenantId, wanted as UserCreate, null, r.state);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      errors.push(...rowErrors(row, err));
      return invalid(null);
    }
    const id = String(plan.row.id);
    r.touched.set(id, row);
    if (wanted.email) r.createdEmails.set(wanted.email.toLowerCase(), id);
    const changes = COLUMNS.filter((c) => c.kind === 'field' && given.has(c.name)).map((c) => c.name);
    const created = { outcome: { row, action: 'create' as const, userId: id, displayName: name, changes }, errors };
    r.pending.push({ plan, result: created });
    return created;
  }

  /**
   * The user a row changes: by id, else by external id (platform users), else by email; none means a
   * new user. The users the next rows name are read ahead in one query.
   */
  private async findTarget(
    r: ImportRun,
    index: number,
    given: Map<string, string>,
    wanted: Partial<UserCreate>,
    fail: Fail,
  ): Promise<UserRow | undefined> {
    const id = given.get('id');
    const externalId = given.get('externalId');
    const email = !id && !externalId && wanted.email ? wanted.email.toLowerCase() : undefined;
    if (!id && !externalId && !email) return undefined;
    const created = email && r.createdEmails.get(email);
    if (created) {
      fail(null, 'conflict', 'P3', `row ${r.touched.get(created)} of this file already changes this user`);
      return undefined;
    }
    const users = await this.lookahead(r, index, { id, externalId, email });
    if (id) {
      const u = users.byId.get(id);
      if (!u) fail('id', 'not_found', 'P3', `no user ${id} in this tenant`);
      return u;
    }
    if (externalId) {
      const u = users.byExternalId.get(externalId);
      if (!u)
        fail(
          'externalId',
          'not_found',
          'P3',
          `no platform user has the external id ${externalId}: platform users come from the phone system`,
        );
      return u;
    }
    const found = users.byEmail.get(email!) ?? [];
    if (found.length > 1)
      fail('email', 'conflict', 'P3', 'several users have this email: add the id column to say which one');
    return found[0];
  }

  /** The read-ahead users covering this row's names: the next BATCH rows' names in one query. */
  private async lookahead(
    r: ImportRun,
    index: number,
    names: { id: string | undefined; externalId: string | undefined; email: string | undefined },
  ): Promise<Lookahead> {
    const covers = (l: Lookahead) =>
      names.id
        ? l.named.ids.has(names.id)
        : names.externalId
          ? l.named.externalIds.has(names.externalId)
          : l.named.emails.has(names.email!);
    if (r.lookahead && index < r.lookahead.until && covers(r.lookahead.users)) return r.lookahead.users;
    const named = { ids: new Set<string>(), externalIds: new Set<string>(), emails: new Set<string>() };
    const at = (c: string) => r.columns.findIndex((col) => col.name === c);
    const [idAt, extAt, emailAt] = [at('id'), at('externalId'), at('email')];
    const until = Math.min(r.records.length, index + BATCH);
    for (let i = index; i < until; i++) {
      const cells = r.records[i]!;
      const cell = (j: number) => (j >= 0 ? (cells[j] ?? '') : '');
      if (cell(idAt)) named.ids.add(cell(idAt));
      else if (cell(extAt)) named.externalIds.add(cell(extAt));
      else if (cell(emailAt)) named.emails.add(cell(emailAt).toLowerCase());
    }
    if (names.id) named.ids.add(names.id);
    if (names.externalId) named.externalIds.add(names.externalId);
    if (names.email) named.emails.add(names.email);
    const users = new Lookahead(
      named,
      await repo.findUsersNamed(r.uow.tx, r.tenantId, {
        ids: [...named.ids],
        externalIds: [...named.externalIds],
        emails: [...named.emails],
      }),
    );
    r.lookahead = { until, users };
    return users;
  }

  /** Columns that show what the phone system (or Switchboard) owns: a different value is refused, as the API does. */
  private refuseReadOnly(given: Map<string, string>, current: ReturnType<typeof presentUser>, fail: Fail): void {
    const shown: Array<[string, string, string]> = [
      ['extension', current.extension ?? '', USER_FIELD_OWNERSHIP.extension.rule],
      ['externalId', current.externalId ?? '', USER_FIELD_OWNERSHIP.externalId.rule],
      ['source', current.source, 'P3'],
    ];
    for (const [column, value, rule] of shown) {
      const cell = given.get(column);
      if (cell !== undefined && cell !== value)
        fail(column, 'read_only_field', rule, `${column} is the phone system's: it changes only through platform sync`);
    }
  }

  /**
   * Runs a write inside a savepoint: a refusal (or a write the database refuses) undoes it alone, its
   * audit entries, change events, outbox rows and rules bookkeeping included, and becomes the row's
   * errors (`into`; none for a batch, which is then retried row by row).
   */
  private async attempt(r: ImportRun, into: RowResult | null, change: () => Promise<unknown>): Promise<boolean> {
    const { uow } = r;
    const marks = [uow.auditEntries.length, uow.events.length, uow.afterCommitTasks.length, uow.outbox.length] as const;
    const stateMark = r.state.mark();
    await repo.savepoint(uow.tx);
    try {
      await change();
      await repo.releaseSavepoint(uow.tx);
      return true;
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      await repo.rollbackToSavepoint(uow.tx);
      uow.auditEntries.length = marks[0];
      uow.events.length = marks[1];
      uow.afterCommitTasks.length = marks[2];
      uow.outbox.length = marks[3];
      r.state.undoTo(stateMark);
      if (into) into.errors.push(...rowErrors(into.outcome.row, err));
      return false;
    }
  }
}

/** A job's final state. */
function finished(status: ImportJob['status'], rows: number, result: ImportResult) {
  return { status, processed_rows: rows, result: JSON.stringify(result), finished_at: new Date(), lease_until: null };
}

function emptyResult(): ImportResult {
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

function columnChanged(c: Column, patch: Partial<UserCreate>): boolean {
  const ptr = c.pointer!.split('/').slice(1);
  let v: unknown = patch;
  for (const k of ptr) v = (v as Record<string, unknown> | undefined)?.[k];
  return v !== undefined;
}
