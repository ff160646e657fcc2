import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { decodeNameCursor, toPage } from '../../infra/paging.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import { requireCapability } from '../access/actor-access.js';
import * as repo from './named.repo.js';
import type { Named, NamedInput } from './named.schemas.js';

export interface NamedKind {
  table: repo.NamedTableName;
  /** Singular noun for messages and audit actions. */
  noun: string;
  idPrefix: string;
  /** Capability module: `groups` -> groups:view|create|edit|delete. */
  module: 'groups' | 'workspaces';
  /** Removes the deleted thing from its members; returns the users changed. */
  detach: (
    db: Parameters<typeof repo.detachGroup>[0],
    tenantId: string,
    id: string,
    version: number,
  ) => Promise<string[]>;
}

export const GROUPS: NamedKind = {
  table: 'groups',
  noun: 'group',
  idPrefix: 'grp',
  module: 'groups',
  detach: repo.detachGroup,
};
export const WORKSPACES: NamedKind = {
  table: 'workspaces',
  noun: 'workspace',
  idPrefix: 'wsp',
  module: 'workspaces',
  detach: repo.detachWorkspace,
};

const present = (r: repo.NamedRow): Named => ({
  id: r.id,
  name: r.name,
  version: Number(r.version),
  createdAt: new Date(r.created_at).toISOString(),
});

/** CRUD for groups and workspaces, with audit; deleting one updates its members in the same transaction. */
export class NamedService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly kind: NamedKind,
  ) {}

  async list(ctx: RequestContext, tenantId: string, opts: { cursor?: string; limit: number }) {
    await requireCapability(this.deps.db, ctx, tenantId, [`${this.kind.module}:view`, 'users:edit']);
    const rows = await repo.listNamed(this.deps.db, this.kind.table, tenantId, {
      limit: opts.limit + 1,
      after: decodeNameCursor(opts.cursor),
    });
    return toPage(
      rows,
      opts.limit,
      (r) => [r.name, r.id],
      (page) => page.map(present),
    );
  }

  async get(ctx: RequestContext, tenantId: string, id: string): Promise<Named> {
    await requireCapability(this.deps.db, ctx, tenantId, [`${this.kind.module}:view`, 'users:edit']);
    const row = await repo.findNamed(this.deps.db, this.kind.table, tenantId, id);
    if (!row) throw notFound(this.kind.noun);
    return present(row);
  }

  async create(ctx: RequestContext, tenantId: string, input: NamedInput): Promise<Named> {
    await requireCapability(this.deps.db, ctx, tenantId, `${this.kind.module}:create`);
    return inTransaction(this.deps, ctx, async (uow) => {
      const row = await repo.insertNamed(uow.tx, this.kind.table, {
        id: newId(this.kind.idPrefix),
        tenant_id: tenantId,
        name: input.name,
        version: await uow.nextVersion(),
      });
      const out = present(row);
      uow.audit({
        tenantId,
        action: `${this.kind.noun}.create`,
        targetType: this.kind.noun,
        targetId: row.id,
        after: out,
      });
      return out;
    });
  }

  async patch(ctx: RequestContext, tenantId: string, id: string, input: NamedInput, ifMatch?: string): Promise<Named> {
    await requireCapability(this.deps.db, ctx, tenantId, `${this.kind.module}:edit`);
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await repo.findNamed(uow.tx, this.kind.table, tenantId, id);
      if (!before) throw notFound(this.kind.noun);
      assertVersion(ifMatch, Number(before.version));
      const row = await repo.renameNamed(uow.tx, this.kind.table, tenantId, id, input.name, await uow.nextVersion());
      const out = present(row);
      uow.audit({
        tenantId,
        action: `${this.kind.noun}.update`,
        targetType: this.kind.noun,
        targetId: id,
        before: present(before),
        after: out,
      });
      return out;
    });
  }

  async remove(ctx: RequestContext, tenantId: string, id: string, ifMatch?: string): Promise<void> {
    await requireCapability(this.deps.db, ctx, tenantId, `${this.kind.module}:delete`);
    await inTransaction(this.deps, ctx, async (uow) => {
      const before = await repo.findNamed(uow.tx, this.kind.table, tenantId, id);
      if (!before) throw notFound(this.kind.noun);
      assertVersion(ifMatch, Number(before.version));
      const version = await uow.nextUserVersion(tenantId);
      const members = await this.kind.detach(uow.tx, tenantId, id, version);
      await repo.deleteNamed(uow.tx, this.kind.table, tenantId, id);
      uow.audit({
        tenantId,
        action: `${this.kind.noun}.delete`,
        targetType: this.kind.noun,
        targetId: id,
        before: { ...present(before), members: members.length },
      });
      if (members.length) uow.publish({ type: 'config', tenantId, userIds: members, version });
    });
  }
}
