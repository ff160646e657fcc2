import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import { DialCheckAnswer, DialCheckBody } from './dial-check.schemas.js';
import type { DialCheckService } from './dial-check.service.js';

/** POST /v1/tenants/{t}/dial-check: platform token, provider, or the user (F3). */
export function registerDialCheckRoutes(app: Api, dial: DialCheckService): void {
  app.post(
    '/v1/tenants/:t/dial-check',
    {
      schema: {
        tags: ['Access'],
        summary: 'May this user call or text this number? (F1, F3; 200 with allowed: false for a refusal)',
        params: TenantParams,
        body: DialCheckBody,
        response: { 200: DialCheckAnswer, ...errorResponses },
      },
    },
    async (req) => dial.check(contextOf(req), req.params.t, req.body),
  );
}
