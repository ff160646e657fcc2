import { Type } from '@sinclair/typebox';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, Problem, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import { setPortalCookies } from '../auth/portal-cookie.js';
import {
  CallbackQuery,
  OidcIssuer,
  OidcIssuerCreate,
  OidcIssuerPatch,
  StartParams,
  StartQuery,
} from './oidc.schemas.js';
import { CALLBACK_PATH, type OidcService } from './oidc.service.js';

const tags = ['Identity'];

/** OIDC issuers per tenant (settings:edit) and the browser sign-in: start, then the callback (I2). */
export function registerOidcRoutes(app: Api, oidc: OidcService, publicUrl?: string): void {
  app.get(
    '/v1/tenants/:t/oidc-issuers',
    {
      schema: {
        tags,
        summary: 'OIDC issuers of the tenant',
        params: TenantParams,
        response: { 200: Type.Object({ items: Type.Array(OidcIssuer), nextCursor: Type.Null() }), ...errorResponses },
      },
    },
    async (req) => ({ items: await oidc.listIssuers(contextOf(req), req.params.t), nextCursor: null }),
  );

  app.post(
    '/v1/tenants/:t/oidc-issuers',
    {
      schema: {
        tags,
        summary: 'Configure an OIDC issuer (settings:edit)',
        params: TenantParams,
        body: OidcIssuerCreate,
        response: { 201: OidcIssuer, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await oidc.createIssuer(contextOf(req), req.params.t, req.body)),
  );

  app.patch(
    '/v1/tenants/:t/oidc-issuers/:id',
    {
      schema: {
        tags,
        summary: 'Change an OIDC issuer: name, URL, client id or secret (settings:edit)',
        params: TenantItemParams,
        body: OidcIssuerPatch,
        response: { 200: OidcIssuer, ...errorResponses },
      },
    },
    async (req) => oidc.updateIssuer(contextOf(req), req.params.t, req.params.id, req.body),
  );

  app.delete(
    '/v1/tenants/:t/oidc-issuers/:id',
    {
      schema: {
        tags,
        summary: 'Remove an OIDC issuer',
        params: TenantItemParams,
        response: { 204: { type: 'null' } as const, ...errorResponses },
      },
    },
    async (req, reply) => {
      await oidc.deleteIssuer(contextOf(req), req.params.t, req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/v1/auth/oidc/issuers',
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'The OIDC sign-in buttons of one tenant (public: names and start paths only)',
        security: [],
        querystring: Type.Object(
          { tenant: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), startPath: Type.String() })),
          }),
          ...errorResponses,
          429: Problem,
        },
      },
    },
    async (req) => ({ items: await oidc.signInOptions(req.query.tenant) }),
  );

  app.get(
    '/v1/auth/oidc/:issuerId/start',
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Start OIDC sign-in: redirects to the identity provider (PKCE, state, nonce)',
        security: [],
        params: StartParams,
        querystring: StartQuery,
        response: { 302: Type.Null(), ...errorResponses, 429: Problem },
      },
    },
    async (req, reply) => {
      const url = await oidc.start(req.params.issuerId, `${req.protocol}://${req.host}`, req.query.returnTo);
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    CALLBACK_PATH,
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'OIDC callback: signs the matched user in to the portal (cookie) and redirects',
        security: [],
        querystring: CallbackQuery,
        response: { 302: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { session, returnTo } = await oidc.finish({ requestId: req.id, clientAddr: req.ip ?? null }, req.query);
      setPortalCookies(req, reply, session.token, publicUrl);
      return reply.redirect(returnTo, 302);
    },
  );
}
