import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { verifyChain } from '../../infra/audit-chain.js';
import { requireCapability } from '../access/actor-access.js';
import { userNames } from '../users/user-names.repo.js';
import { listAudit, readChain } from './audit.repo.js';
import type { AuditPage, AuditQuery, AuditVerification } from './audit.schemas.js';

/** Who may read a tenant's audit log: user viewers and settings viewers (AU1). */
const READERS = ['users:view', 'settings:view'] as const;

/** AU1: the audit log, newest first; a verification of its hash chain; the whole chain for export. No edits. */
export class AuditService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, tenantId: string, query: AuditQuery): Promise<AuditPage> {
    await requireCapability(this.deps.db, ctx, tenantId, [...READERS], 'AU1');
    const limit = query.limit ?? 50;
    const rows = await listAudit(this.deps.db, {
      ...query,
      tenantId,
      limit: limit + 1,
      beforeId: query.cursor ? Number(query.cursor) : undefined,
    });
    const page = rows.slice(0, limit);
    // Names, not ids, for a person reading the log: the acting and the target users as they are now.
    const userIds = page.flatMap((e) => [
      ...(e.actorType === 'user' && e.actorId ? [e.actorId] : []),
      ...(e.targetType === 'user' && e.targetId ? [e.targetId] : []),
    ]);
    const names = await userNames(this.deps.db, tenantId, userIds);
    const nameOf = (id: string | null) => {
      const n = id ? names.get(id) : undefined;
      return n ? n.displayName.trim() || n.email || undefined : undefined;
    };
    const items = page.map((e) => {
      const actorName = e.actorType === 'user' ? nameOf(e.actorId) : undefined;
      const targetName = e.targetType === 'user' ? nameOf(e.targetId) : undefined;
      return { ...e, ...(actorName && { actorName }), ...(targetName && { targetName }) };
    });
    return { items, nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null };
  }

  /** Recomputes the chain a page at a time (chains grow large) and names the first broken link. */
  async verify(ctx: RequestContext, tenantId: string): Promise<AuditVerification> {
    await requireCapability(this.deps.db, ctx, tenantId, [...READERS], 'AU1');
    let entries = 0;
    let lastHash: string | undefined;
    let brokenAt: number | null = null;
    for await (const page of readChain(this.deps.db, tenantId)) {
      const result = verifyChain(page, lastHash);
      entries += page.length;
      lastHash = result.lastHash;
      brokenAt = result.brokenAt;
      if (brokenAt !== null) break;
    }
    return { entries, intact: brokenAt === null, brokenAt };
  }

  /** The whole chain, oldest first, as NDJSON lines a page at a time (verifiable offline). */
  async export(ctx: RequestContext, tenantId: string): Promise<AsyncGenerator<string>> {
    await requireCapability(this.deps.db, ctx, tenantId, [...READERS], 'AU1');
    const chain = readChain(this.deps.db, tenantId);
    return (async function* () {
      for await (const page of chain) yield page.map((e) => `${JSON.stringify(e)}\n`).join('');
    })();
  }
}
