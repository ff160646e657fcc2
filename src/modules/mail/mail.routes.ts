import { Type } from '@sinclair/typebox';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError } from '../../infra/errors.js';
import { listMail } from './mail.repo.js';
import type { Mailer } from './mailer.js';

const Mail = Type.Object({
  id: Type.Integer(),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  attachments: Type.Array(Type.Object({ filename: Type.String(), contentType: Type.String(), content: Type.String() })),
  createdAt: Type.String(),
});

/** `GET /v1/dev/mailbox`: the provider reads mail kept while no SMTP server is configured. */
export function registerMailRoutes(app: Api, deps: ServiceDeps, mailer: Mailer): void {
  app.get(
    '/v1/dev/mailbox',
    {
      schema: {
        tags: ['Identity'],
        summary: 'Mail kept while SMTP_URL is unset (provider only)',
        querystring: Type.Object(
          {
            to: Type.Optional(Type.String({ maxLength: 254 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Mail), nextCursor: Type.Null() }), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = contextOf(req);
      if (ctx.actor.kind !== 'provider') throw new AppError('provider_only', 'the dev mailbox is for the provider');
      if (!mailer.usesDevMailbox)
        throw new AppError('not_found', 'mail goes out through SMTP_URL; there is no dev mailbox');
      return { items: await listMail(deps.db, { to: req.query.to, limit: req.query.limit ?? 50 }), nextCursor: null };
    },
  );
}
