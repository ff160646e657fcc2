import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { requireCapability } from '../access/actor-access.js';
import { listAudit, readChain, verifyChain } from './audit.repo.js';

const Entry = Type.Object({
  id: Type.Integer(),
  seq: Type.Integer(),
  at: Type.String(),
  tenantId: Type.Union([Type.String(), Type.Null()]),
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  credential: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
  requestId: Type.Union([Type.String(), Type.Null()]),
  clientAddr: Type.Union([Type.String(), Type.Null()]),
  prevHash: Type.String(),
  hash: Type.String(),
});
const Query = Type.Object(
  {
    target: Type.Optional(Type.String({ maxLength: 100 })),
    actor: Type.Optional(Type.String({ maxLength: 100 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);

/** AU1: the audit log, newest first, and a verification of its hash chain. No route edits it. */
export function registerAuditRoutes(app: Api, deps: ServiceDeps): void {
  const tags = ['Audit'];
  const needs = ['users:view', 'settings:view'];
  app.get(
    '/v1/tenants/:t/audit',
    {
      schema: {
        tags,
        summary: 'Audit entries, newest first',
        params: TenantParams,
        querystring: Query,
        response: {
          200: Type.Object({ items: Type.Array(Entry), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      await requireCapability(deps.db, contextOf(req), req.params.t, needs, 'AU1');
      const limit = req.query.limit ?? 50;
      const rows = await listAudit(deps.db, {
        ...req.query,
        tenantId: req.params.t,
        limit: limit + 1,
        beforeId: req.query.cursor ? Number(req.query.cursor) : undefined,
      });
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
    },
  );
  app.get(
    '/v1/tenants/:t/audit/verify',
    {
      schema: {
        tags,
        summary: "Recompute the tenant's hash chain",
        params: TenantParams,
        response: {
          200: Type.Object({
            entries: Type.Integer(),
            intact: Type.Boolean(),
            brokenAt: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      await requireCapability(deps.db, contextOf(req), req.params.t, needs, 'AU1');
      let entries = 0,
        lastHash: string | undefined,
        brokenAt: number | null = null;
      for await (const page of readChain(deps.db, req.params.t)) {
        const result = verifyChain(page, lastHash);
        entries += page.length;
        lastHash = result.lastHash;
        if ((brokenAt = result.brokenAt) !== null) break;
      }
      return { entries, intact: brokenAt === null, brokenAt };
    },
  );
  app.get(
    '/v1/tenants/:t/audit/export',
    {
      schema: {
        tags,
        summary: 'The whole audit chain as NDJSON, oldest first, with its hashes (verifiable offline)',
        params: TenantParams,
        produces: ['application/x-ndjson'],
        response: { 200: { type: 'string', description: 'one entry per line' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      await requireCapability(deps.db, contextOf(req), req.params.t, needs, 'AU1');
      const chain = readChain(deps.db, req.params.t);
      const lines = Readable.from(
        (async function* () {
          for await (const page of chain) yield page.map((e) => `${JSON.stringify(e)}\n`).join('');
        })(),
      );
      return reply
        .type('application/x-ndjson')
        .header('content-disposition', `attachment; filename="audit-${req.params.t}.ndjson"`)
        .send(lines);
    },
  );
}
