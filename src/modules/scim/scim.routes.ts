import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import { findUnstorableText } from '../../http/input-guards.js';
import { mapDatabaseUnavailable } from '../../http/problem.js';
import type { Api } from '../../http/types.js';
import { AppError, notFound } from '../../infra/errors.js';
import { etag } from '../../infra/versioning.js';
import type { AccessTemplate } from '../../db/schema.js';
import { resourceTypes, schemas, serviceProviderConfig } from './scim.discovery.js';
import { ERROR_SCHEMA, LIST_RESPONSE, type ScimWrite } from './scim.resources.js';
import { AccessTemplateBody, ScimBody, ScimItemQuery, ScimListQuery, ScimParams } from './scim.schemas.js';
import type { ScimGroupsService } from './scim-groups.service.js';
import type { ScimService } from './scim.service.js';

const SCIM_JSON = 'application/scim+json';
const PREFIX = '/v1/tenants/:t/scim/v2';

/** A SCIM error body (RFC 7644 §3.12): `status` as a string, `scimType` where one applies; `code` and `rule` as everywhere. */
function scimError(status: number, detail: string, extra: Record<string, unknown> = {}) {
  return { schemas: [ERROR_SCHEMA], status: String(status), detail, ...extra };
}

function sendError(reply: FastifyReply, status: number, detail: string, extra: Record<string, unknown> = {}) {
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="scim"');
  return reply
    .status(status)
    .type(SCIM_JSON)
    .send(scimError(status, detail, extra));
}

/** Every error under /scim is a SCIM error: rule refusals, validation, authentication, unknown paths. */
function scimErrorHandler(error: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) {
  const err = mapDatabaseUnavailable(error, req, reply);
  if (err instanceof AppError) {
    const { scimType, ...extra } = err.options.extra ?? {};
    const type =
      scimType ??
      (err.code === 'validation_failed' ? 'invalidValue' : err.code === 'read_only_field' ? 'mutability' : undefined);
    if (err.status >= 500) req.log.error({ err }, 'internal error');
    return sendError(reply, err.status, err.message, {
      ...(type !== undefined && { scimType: type }),
      code: err.code,
      ...(err.rule && { rule: err.rule }),
      ...(err.field && { field: err.field }),
      ...extra,
    });
  }
  if (err.validation)
    return sendError(reply, 400, `${err.validationContext ?? 'request'} ${err.message}`, {
      scimType: 'invalidValue',
      code: 'validation_failed',
    });
  const status = err.statusCode ?? 500;
  if (status === 413) return sendError(reply, 413, 'the request body is too large', { code: 'payload_too_large' });
  if (status === 415)
    return sendError(reply, 415, `send ${SCIM_JSON} or application/json`, { code: 'unsupported_media_type' });
  if (status >= 400 && status < 500)
    return sendError(reply, status, err.message, { scimType: 'invalidSyntax', code: 'validation_failed' });
  req.log.error({ err }, 'unhandled error');
  return sendError(reply, 500, 'an internal error occurred; it has been logged', { code: 'internal' });
}

function baseUrl(req: FastifyRequest, t: string, publicUrl: string | undefined): string {
  const origin = (publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/$/, '');
  return `${origin}/v1/tenants/${encodeURIComponent(t)}/scim/v2`;
}

const ok = (description: string) => ({ 200: { description, ...ScimBody } });

/**
 * SCIM 2.0 (P2) under /v1/tenants/{t}/scim/v2, in its own encapsulated context: `application/scim+json`
 * in and out, SCIM error bodies for every refusal. Bearer API token (users:* and groups:* scopes).
 */
export function registerScimRoutes(app: Api, scim: ScimService, groups: ScimGroupsService, publicUrl?: string): void {
  void app.register(async (s: Api) => {
    const parseJson = s.getDefaultJsonParser('error', 'error');
    s.addContentTypeParser(SCIM_JSON, { parseAs: 'string' }, (req, body, done) => {
      void parseJson(
        req,
        typeof body === 'string' ? body : body.toString('utf8'),
        (err: Error | null, value?: unknown) => {
          if (err) return done(err);
          const field = findUnstorableText(value);
          return field
            ? done(
                new AppError('validation_failed', `${field} contains a NUL character or an unpaired surrogate`, {
                  field,
                }),
              )
            : done(null, value);
        },
      );
    });
    s.setErrorHandler(scimErrorHandler);
    s.addHook('onSend', async (_req, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('application/json'))
        reply.type(`${SCIM_JSON}; charset=utf-8`);
      return payload;
    });
    const tags = ['SCIM 2.0'];
    const base = (req: FastifyRequest) => baseUrl(req, (req.params as { t: string }).t, publicUrl);
    /** A PUT or PATCH of one resource, as the services take it. */
    const write = (req: FastifyRequest): ScimWrite => {
      const { t, id } = req.params as { t: string; id: string };
      return {
        ctx: contextOf(req),
        tenantId: t,
        id,
        body: req.body,
        baseUrl: base(req),
        ifMatch: req.headers['if-match'],
      };
    };
    const list = { params: TenantParams, querystring: ScimListQuery };

    s.get(
      `${PREFIX}/ServiceProviderConfig`,
      {
        schema: {
          tags,
          summary: 'What this SCIM service supports',
          params: TenantParams,
          response: ok('ServiceProviderConfig'),
        },
      },
      async (req) => {
        await scim.authorize(contextOf(req), req.params.t);
        return serviceProviderConfig(base(req));
      },
    );
    s.get(
      `${PREFIX}/ResourceTypes`,
      {
        schema: {
          tags,
          summary: 'SCIM resource types (User, Group)',
          params: TenantParams,
          response: ok('ListResponse of ResourceTypes'),
        },
      },
      async (req) => {
        await scim.authorize(contextOf(req), req.params.t);
        return wholeList(resourceTypes(base(req)));
      },
    );
    s.get(
      `${PREFIX}/Schemas`,
      {
        schema: {
          tags,
          summary: 'SCIM schemas (User, EnterpriseUser, Group)',
          params: TenantParams,
          response: ok('ListResponse of Schemas'),
        },
      },
      async (req) => {
        await scim.authorize(contextOf(req), req.params.t);
        return wholeList(schemas(base(req)));
      },
    );

    s.get(
      `${PREFIX}/Users`,
      {
        schema: {
          tags,
          summary: 'List SCIM users (filter, startIndex, count)',
          ...list,
          response: ok('ListResponse of Users'),
        },
      },
      async (req) => scim.listUsers(contextOf(req), req.params.t, req.query, base(req)),
    );
    s.post(
      `${PREFIX}/Users`,
      {
        schema: {
          tags,
          summary: 'Provision a user (links the platform user with the same email, P2)',
          params: TenantParams,
          body: ScimBody,
          response: { 201: { description: 'the User', ...ScimBody } },
        },
      },
      async (req, reply) => {
        const user = await scim.createUser(contextOf(req), req.params.t, req.body, base(req));
        return reply
          .status(201)
          .header('location', (user.meta as { location: string }).location)
          .header('etag', etag(versionOf(user)))
          .send(user);
      },
    );
    s.get(
      `${PREFIX}/Users/:id`,
      {
        schema: {
          tags,
          summary: 'Read a SCIM user',
          params: ScimParams,
          querystring: ScimItemQuery,
          response: ok('the User'),
        },
      },
      async (req, reply) => {
        const user = await scim.getUser(contextOf(req), req.params.t, req.params.id, base(req));
        return reply.header('etag', etag(versionOf(user))).send(user);
      },
    );
    s.put(
      `${PREFIX}/Users/:id`,
      {
        schema: { tags, summary: 'Replace a SCIM user', params: ScimParams, body: ScimBody, response: ok('the User') },
      },
      async (req, reply) => {
        const user = await scim.replaceUser(write(req));
        return reply.header('etag', etag(versionOf(user))).send(user);
      },
    );
    s.patch(
      `${PREFIX}/Users/:id`,
      {
        schema: {
          tags,
          summary: 'Change a SCIM user (PatchOp, as Entra ID and Okta send it)',
          params: ScimParams,
          body: ScimBody,
          response: ok('the User'),
        },
      },
      async (req, reply) => {
        const user = await scim.patchUser(write(req));
        return reply.header('etag', etag(versionOf(user))).send(user);
      },
    );
    s.delete(
      `${PREFIX}/Users/:id`,
      {
        schema: {
          tags,
          summary: 'Deprovision: removes a manual user, suspends a platform-linked one',
          params: ScimParams,
          response: { 204: { description: 'deprovisioned', type: 'null' } },
        },
      },
      async (req, reply) => {
        await scim.deleteUser(contextOf(req), req.params.t, req.params.id);
        return reply.status(204).send();
      },
    );

    s.get(
      `${PREFIX}/Groups`,
      { schema: { tags, summary: 'List SCIM groups', ...list, response: ok('ListResponse of Groups') } },
      async (req) => groups.listGroups(contextOf(req), req.params.t, req.query, base(req)),
    );
    s.post(
      `${PREFIX}/Groups`,
      {
        schema: {
          tags,
          summary: 'Provision a group (a Switchboard group)',
          params: TenantParams,
          body: ScimBody,
          response: { 201: { description: 'the Group', ...ScimBody } },
        },
      },
      async (req, reply) => {
        const group = await groups.createGroup(contextOf(req), req.params.t, req.body, base(req));
        return reply
          .status(201)
          .header('location', (group.meta as { location: string }).location)
          .send(group);
      },
    );
    s.get(
      `${PREFIX}/Groups/:id`,
      {
        schema: {
          tags,
          summary: 'Read a SCIM group',
          params: ScimParams,
          querystring: ScimItemQuery,
          response: ok('the Group'),
        },
      },
      async (req) => groups.getGroup(contextOf(req), req.params.t, req.params.id, base(req), req.query),
    );
    s.put(
      `${PREFIX}/Groups/:id`,
      {
        schema: {
          tags,
          summary: 'Replace a SCIM group',
          params: ScimParams,
          body: ScimBody,
          response: ok('the Group'),
        },
      },
      async (req) => groups.replaceGroup(write(req)),
    );
    s.patch(
      `${PREFIX}/Groups/:id`,
      {
        schema: {
          tags,
          summary: 'Change a SCIM group: name, members',
          params: ScimParams,
          body: ScimBody,
          response: ok('the Group'),
        },
      },
      async (req) => groups.patchGroup(write(req)),
    );
    s.delete(
      `${PREFIX}/Groups/:id`,
      {
        schema: {
          tags,
          summary: 'Delete a SCIM group',
          params: ScimParams,
          response: { 204: { description: 'deleted', type: 'null' } },
        },
      },
      async (req, reply) => {
        await groups.deleteGroup(contextOf(req), req.params.t, req.params.id);
        return reply.status(204).send();
      },
    );
    // The lists answer with a trailing slash too (`/Users/?filter=…`, as some clients send it).
    const aliasSchema = { hide: true, params: TenantParams, querystring: ScimListQuery };
    s.get(`${PREFIX}/Users/`, { schema: aliasSchema }, async (req) =>
      scim.listUsers(contextOf(req), req.params.t, req.query, base(req)),
    );
    s.get(`${PREFIX}/Groups/`, { schema: aliasSchema }, async (req) =>
      groups.listGroups(contextOf(req), req.params.t, req.query, base(req)),
    );
    s.all(`${PREFIX}/*`, { schema: { hide: true } }, async (req) => {
      contextOf(req);
      throw notFound(`SCIM endpoint ${req.url.split('?')[0]}`);
    });
  });

  app.put(
    '/v1/tenants/:t/groups/:id/access-template',
    {
      schema: {
        tags: ['Groups'],
        summary: "Set (or clear) a SCIM group's access template: its members get it, through every rule",
        params: TenantItemParams,
        body: AccessTemplateBody,
        response: {
          200: { description: 'the SCIM Group, with its template and what members could not get', ...ScimBody },
          ...errorResponses,
        },
      },
    },
    async (req) =>
      groups.setAccessTemplate(
        contextOf(req),
        req.params.t,
        req.params.id,
        req.body.accessTemplate as AccessTemplate | null,
        baseUrl(req, req.params.t, publicUrl),
      ),
  );
}

function versionOf(resource: Record<string, unknown>): number {
  const v = (resource.meta as { version?: string } | undefined)?.version ?? '';
  return Number(/\d+/.exec(v)?.[0] ?? 0);
}

/** A ListResponse holding every resource at once (the discovery lists are never paged). */
function wholeList(all: unknown[]) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: all.length,
    startIndex: 1,
    itemsPerPage: all.length,
    Resources: all,
  };
}
