import { validateAsBody } from '../../http/validation.js';
import { AppError } from '../../infra/errors.js';
import type { UnitOfWork } from '../../infra/unit-of-work.js';
import type { ActorPowers } from '../access/actor-access.js';
import { USER_FIELD_OWNERSHIP } from '../platform/ownership.js';
import { presentUser } from '../users/users.present.js';
import type { UserRow } from '../../db/schema.js';
import type { RulesState } from '../users/rules-state.js';
import { UserPatch, type UserCreate } from '../users/users.schemas.js';
import type { PlannedCreate, UsersService } from '../users/users.service.js';
import { CellError, changedPart, columnOfPointer, COLUMNS, mergeParts, type Column } from './users-csv.columns.js';
import * as repo from './users-csv.repo.js';
import type { ImportRowError, ImportRowOutcome } from './users-csv.schemas.js';

/** Rows whose named users are read ahead in one query, and whose creates are written in one statement. */
export const BATCH = 500;

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

export type RowResult = { outcome: ImportRowOutcome; errors: ImportRowError[] };
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
    const list = this.byEmail.get(key) ?? [];
    if (this.named.emails.has(key) && !list.some((u) => u.id === r.id)) this.byEmail.set(key, [...list, r]);
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
 * The rows of one import applied in a unit of work: each row read, matched to its user and checked by
 * the users service (C1-C9, G*, A*), a change written at once (in a savepoint), a create checked now
 * and written with the next batch. It keeps what spans the rows: the rules' reads of the tenant
 * (`RulesState`), the users the next rows name (read ahead), the rows already matched to a user, and
 * the rows' results in file order.
 */
export class RowImport {
  uow!: UnitOfWork;
  state!: RulesState;
  /** user id → the row of this file that changes or creates it */
  readonly touched = new Map<string, number>();
  /** lower(email) → the user a row of this file creates with it */
  readonly createdEmails = new Map<string, string>();
  private ahead: { until: number; users: Lookahead } | null = null;
  /** Emails rows of this file moved from one value to another, in file order. */
  private readonly emailMoves: Array<{ user: UserRow; from: string | null; to: string | null }> = [];
  /** creates checked by the rules, written at the next flush */
  pending: Array<{ plan: PlannedCreate; result: RowResult }> = [];
  /** row results in file order, recorded at the next flush (a pending create may still fail its write) */
  readonly results: RowResult[] = [];

  constructor(
    private readonly users: UsersService,
    readonly tenantId: string,
    readonly powers: ActorPowers,
    readonly columns: Column[],
    readonly records: string[][],
  ) {}

  /** Continues in this unit of work (the first, or the next of an import committed in parts). */
  bind(uow: UnitOfWork, state: RulesState): void {
    this.uow = uow;
    this.state = state;
    // Users read in an earlier unit of work may have changed since it committed.
    this.ahead = null;
  }

  /** The results no create before them can still change (every create before them is written). */
  settled(): RowResult[] {
    return this.pending.length === 0 ? this.results.splice(0) : [];
  }

  /**
   * Writes the creates checked since the last flush in one statement (in a savepoint); should the
   * database refuse one (a concurrent writer took its email), they are written one by one, and the
   * refused ones become row errors.
   */
  async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    // Each checked create recorded one change in the rules' state, the last ones recorded.
    const stateMark = this.state.mark() - batch.length;
    if (await this.attempt(null, () => this.writeCreates(batch))) return;
    this.state.undoTo(stateMark);
    for (const one of batch) {
      if (await this.attempt(one.result, () => this.writeCreates([one]))) this.state.record(null, one.plan.after);
      else Object.assign(one.result.outcome, { action: 'invalid', userId: null, changes: [] });
    }
  }

  /** Writes checked creates; I3: a new user with website access and an email is invited, as through the API. */
  private async writeCreates(batch: RowImport['pending']): Promise<void> {
    const created = await this.users.writeCreates(
      this.uow,
      batch.map((b) => b.plan),
    );
    await this.users.invitePasswordless(this.uow, this.tenantId, created);
  }

  /** One row: read its cells, find its user, and check its create (written at the next flush) or apply its change. */
  async importRow(index: number): Promise<RowResult> {
    const row = index + 2;
    const cells = this.records[index]!;
    const { columns } = this;
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
    const target = await this.findTarget(index, given, wanted, fail);
    if (errors.length) return invalid(target?.id ?? null);
    if (target) {
      const earlier = this.touched.get(target.id);
      if (earlier !== undefined) fail(null, 'conflict', 'P3', `row ${earlier} of this file already changes this user`);
      const current = presentUser(target, []);
      this.refuseReadOnly(given, current, fail);
      if (errors.length) return invalid(target.id);
      this.touched.set(target.id, row);
      const patch = changedPart(current, wanted);
      const changes = COLUMNS.filter((c) => c.kind === 'field' && c.write && columnChanged(c, patch)).map(
        (c) => c.name,
      );
      const displayName = patch.displayName ?? current.displayName;
      if (changes.length === 0)
        return { outcome: { row, action: 'unchanged', userId: target.id, displayName, changes }, errors };
      // A change is written at once, after the creates checked before it.
      await this.flush();
      const version = given.get('version');
      const outcome: ImportRowOutcome = { row, action: 'update', userId: target.id, displayName, changes };
      const ok = await this.attempt({ outcome, errors }, async () => {
        const after = await this.users.patchIn(this.uow, this.powers, this.tenantId, target.id, patch, {
          ...(version ? { ifMatch: version } : {}),
          state: this.state,
        });
        if (target.email !== after.email) this.moveEmail(target, after.email);
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
      plan = await this.users.planCreate(this.uow, this.powers, this.tenantId, wanted as UserCreate, null, this.state);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      errors.push(...rowErrors(row, err));
      return invalid(null);
    }
    const id = String(plan.row.id);
    this.touched.set(id, row);
    if (wanted.email) this.createdEmails.set(wanted.email.toLowerCase(), id);
    const changes = COLUMNS.filter((c) => c.kind === 'field' && given.has(c.name)).map((c) => c.name);
    const created = { outcome: { row, action: 'create' as const, userId: id, displayName: name, changes }, errors };
    this.pending.push({ plan, result: created });
    return created;
  }

  /**
   * The user a row changes: by id, else by external id (platform users), else by email; none means a
   * new user. The users the next rows name are read ahead in one query.
   */
  private async findTarget(
    index: number,
    given: Map<string, string>,
    wanted: Partial<UserCreate>,
    fail: Fail,
  ): Promise<UserRow | undefined> {
    const id = given.get('id');
    const externalId = given.get('externalId');
    const email = !id && !externalId && wanted.email ? wanted.email.toLowerCase() : undefined;
    if (!id && !externalId && !email) return undefined;
    const created = email && this.createdEmails.get(email);
    if (created) {
      fail(null, 'conflict', 'P3', `row ${this.touched.get(created)} of this file already changes this user`);
      return undefined;
    }
    const users = await this.readAhead(index, { id, externalId, email });
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
  private async readAhead(
    index: number,
    names: { id: string | undefined; externalId: string | undefined; email: string | undefined },
  ): Promise<Lookahead> {
    const covers = (l: Lookahead) =>
      names.id
        ? l.named.ids.has(names.id)
        : names.externalId
          ? l.named.externalIds.has(names.externalId)
          : l.named.emails.has(names.email!);
    if (this.ahead && index < this.ahead.until && covers(this.ahead.users)) return this.ahead.users;
    const named = { ids: new Set<string>(), externalIds: new Set<string>(), emails: new Set<string>() };
    const at = (c: string) => this.columns.findIndex((col) => col.name === c);
    const [idAt, extAt, emailAt] = [at('id'), at('externalId'), at('email')];
    const until = Math.min(this.records.length, index + BATCH);
    for (let i = index; i < until; i++) {
      const cells = this.records[i]!;
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
      await repo.findUsersNamed(this.uow.tx, this.tenantId, {
        ids: [...named.ids],
        externalIds: [...named.externalIds],
        emails: [...named.emails],
      }),
    );
    for (const move of this.emailMoves) this.applyMove(users, move);
    this.ahead = { until, users };
    return users;
  }

  /**
   * A row changed a user's email: rows after it find the user by the new one, not the old one. Kept
   * for the whole import, as a dry run's parts are rolled back and the database does not have it.
   */
  private moveEmail(user: UserRow, to: string | null): void {
    const move = { user, from: user.email, to };
    this.emailMoves.push(move);
    if (this.ahead) this.applyMove(this.ahead.users, move);
  }

  private applyMove(users: Lookahead, move: RowImport['emailMoves'][number]): void {
    if (move.from) users.dropEmail(move.from, move.user.id);
    if (move.to) users.addEmail(move.to, move.user);
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
  private async attempt(into: RowResult | null, change: () => Promise<unknown>): Promise<boolean> {
    const { uow } = this;
    const marks = [uow.auditEntries.length, uow.events.length, uow.afterCommitTasks.length, uow.outbox.length] as const;
    const stateMark = this.state.mark();
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
      this.state.undoTo(stateMark);
      if (into) into.errors.push(...rowErrors(into.outcome.row, err));
      return false;
    }
  }
}

function columnChanged(c: Column, patch: Partial<UserCreate>): boolean {
  const ptr = c.pointer!.split('/').slice(1);
  let v: unknown = patch;
  for (const k of ptr) v = (v as Record<string, unknown> | undefined)?.[k];
  return v !== undefined;
}
